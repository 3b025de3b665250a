// The unsafe reminder claim the reminders race test's control run injects, to prove the test can fail.
// Test-only: nothing outside testing/ and the tests imports this module.
import type { ClaimedReminder, ReminderClaimer } from "../reminders/reminders.service.ts";

/** The claim without `"reminderSentAt" IS NULL`: two processes both claim, both remind. */
export const claimEvenIfReminded: ReminderClaimer = async (tx, reservationId, now) => {
  const claimed = await tx.$queryRaw<ClaimedReminder[]>`
    UPDATE "Reservation" SET "reminderSentAt" = ${now}, "updatedAt" = ${now}
    WHERE "id" = ${reservationId}::uuid AND "status" = 'confirmed' AND "email" IS NOT NULL AND "anonymizedAt" IS NULL
    RETURNING "id"::text AS "id", "email", "locale", "partySize"`;
  return claimed[0] ?? null;
};
