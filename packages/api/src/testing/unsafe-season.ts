// The unsafe variants the season race tests' control runs inject, to prove the tests can fail.
// Test-only: nothing outside testing/ and the tests imports this module.
import type { CancelledHolder, HolderCanceller } from "../season/season.service.ts";

const widenTheGap = () => new Promise((resolve) => setTimeout(resolve, 100));

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
