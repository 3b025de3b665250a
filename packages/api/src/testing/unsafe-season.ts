// The unsafe variants the season race tests' control runs inject, to prove the tests can fail.
// Test-only: nothing outside testing/ and the tests imports this module.
import type { LockedPerformance } from "../capacity/capacity.service.ts";
import type { CancelledHolder, HolderCanceller, PerformanceLocker } from "../season/season.service.ts";

const widenTheGap = () => new Promise((resolve) => setTimeout(resolve, 100));

/**
 * Reads the performance without taking its lock (no FOR UPDATE), then pauses as a busy
 * server would: seats confirmed meanwhile are not seen by the recount that follows.
 */
export const unlockedPerformanceRead: PerformanceLocker = async (tx, performanceId) => {
  const rows = await tx.$queryRaw<LockedPerformance[]>`
    SELECT "id"::text AS "id", "startsAt", "roomCapacity", "additionalSeats", "manuallyOccupiedSeats", "isBookingEnabled", "status"::text AS "status"
    FROM "Performance" WHERE "id" = ${performanceId}::uuid`;
  await widenTheGap();
  return rows[0] ?? null;
};

/**
 * Cancels holders the naive way: read who holds seats, then cancel them by id. Two runs at
 * once both read the same holders and both email them.
 */
export const readThenCancelHolders: HolderCanceller = async (tx, performanceId, now) => {
  const holders = await tx.$queryRaw<CancelledHolder[]>`
    SELECT "id"::text AS "id", "email", "locale", "partySize" FROM "Reservation"
    WHERE "performanceId" = ${performanceId}::uuid AND "status" IN ('pending', 'confirmed')`;
  await widenTheGap();
  if (holders.length > 0) {
    await tx.reservation.updateMany({ where: { id: { in: holders.map((h) => h.id) } }, data: { status: "cancelled", cancelledAt: now } });
  }
  return holders;
};
