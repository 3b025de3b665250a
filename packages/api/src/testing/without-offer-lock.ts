// The UNSAFE variant for the waiting-list race test's control run (Race 2): releases and
// offers read the performance without locking it, so two releases at once each count the
// free seats on their own and walk the queue on their own. Load it before the server:
//   node --conditions=development --import tsx --import ./packages/api/src/testing/without-offer-lock.ts packages/api/src/testing/serve.ts
// Never imported by production code.
import type { LockedPerformance } from "../capacity/capacity.service.ts";
import { waitlistGuard } from "../waitlist/offers.ts";

waitlistGuard.lockPerformance = async (tx, performanceId) => {
  const rows = await tx.$queryRaw<LockedPerformance[]>`
    SELECT "id"::text AS "id", "startsAt", "roomCapacity", "additionalSeats", "manuallyOccupiedSeats", "isBookingEnabled"
    FROM "Performance" WHERE "id" = ${performanceId}::uuid`;
  return rows[0] ?? null;
};
