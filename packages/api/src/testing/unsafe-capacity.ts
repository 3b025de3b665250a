// The unsafe capacity lock that race tests' control runs inject (booking.confirm through
// testing/serve.ts, the season services directly), to prove those tests can fail.
// Test-only: nothing outside testing/ and the tests imports this module.
import type { LockedPerformance, PerformanceLocker } from "../capacity/capacity.service.ts";

/**
 * Reads the performance without taking its lock (no FOR UPDATE), then pauses as a busy
 * server would: seats confirmed meanwhile are not seen by the recount that follows.
 */
export const unlockedPerformanceRead: PerformanceLocker = async (tx, performanceId) => {
  const rows = await tx.$queryRaw<LockedPerformance[]>`
    SELECT "id"::text AS "id", "startsAt", "roomCapacity", "additionalSeats", "manuallyOccupiedSeats", "isBookingEnabled", "status"::text AS "status"
    FROM "Performance" WHERE "id" = ${performanceId}::uuid`;
  await new Promise((resolve) => setTimeout(resolve, 100));
  return rows[0] ?? null;
};
