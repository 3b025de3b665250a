import type { PrismaClient } from "@sipario/db";
import { performancePlaceSelect } from "../booking/emails.ts";
import { type Tx, withTransaction } from "../lib/transaction.ts";
import type { AppConfig } from "../config.ts";
import { getLogger } from "../logger.ts";
import { enqueueEmail } from "../mail/outbox.service.ts";
import { endOfLocalDay, localDate, safeTimeZone, ticketsValidUntil } from "../lib/ticket-time.ts";
import { generateToken, hashToken } from "../lib/tokens.ts";
import { reminderEmail } from "./reminder-email.ts";

const HOUR = 3_600_000;

/** Reminders go out from this hour (venue's wall clock) of the day before the performance. */
export const REMINDER_LOCAL_HOUR = 10;

/**
 * When the reminder for a performance becomes due: REMINDER_LOCAL_HOUR on the day before
 * the performance day, in the venue's time zone (so not at midnight, and right across DST).
 */
export function reminderOpensAt(startsAt: Date, timeZone: string): Date {
  const { year, month, day } = localDate(startsAt, timeZone);
  // Noon UTC two calendar days earlier lies inside that local day for any European zone;
  // the end of that local day is the start of the day before the performance.
  const dayBeforeStarts = endOfLocalDay(new Date(Date.UTC(year, month - 1, day - 2, 12)), timeZone);
  return new Date(dayBeforeStarts.getTime() + REMINDER_LOCAL_HOUR * HOUR);
}

export interface ReminderReport {
  /** Reminders written to the outbox by this call. */
  queued: number;
  outboxIds: string[];
  /** Reservations whose reminder could not be queued (left for the next run). */
  failed: number;
}

export type ClaimedReminder = { id: string; email: string; locale: string; partySize: number };

/** Marks one reservation reminded, answering it only if this call did; injectable for the race test's control run. */
export type ReminderClaimer = (tx: Tx, reservationId: string, now: Date) => Promise<ClaimedReminder | null>;

/**
 * The claim: a conditional UPDATE (`"reminderSentAt" IS NULL`). A second process blocks on
 * the row lock, then finds it already claimed. The race test's control run injects
 * testing/unsafe-reminders.ts's claim without the condition.
 */
export const claimUnreminded: ReminderClaimer = async (tx, reservationId, now) => {
  const claimed = await tx.$queryRaw<ClaimedReminder[]>`
    UPDATE "Reservation" SET "reminderSentAt" = ${now}, "updatedAt" = ${now}
    WHERE "id" = ${reservationId}::uuid AND "status" = 'confirmed' AND "email" IS NOT NULL AND "anonymizedAt" IS NULL AND "reminderSentAt" IS NULL
    RETURNING "id"::text AS "id", "email", "locale", "partySize"`;
  return claimed[0] ?? null;
};

/**
 * Queues the reminder email (kind "reminder") for every confirmed reservation whose
 * performance is tomorrow, from REMINDER_LOCAL_HOUR of the day before until it starts.
 *
 * Invariant: each reservation is reminded at most once, however many processes run this
 * at the same time. The claim is a conditional UPDATE (`"reminderSentAt" IS NULL`) in the
 * same transaction as the outbox row: a second process blocks on the row lock, then finds
 * it already claimed; if the enqueue fails, the claim rolls back with it.
 *
 * The reminder carries the ticket link, but only token hashes are stored, so it issues a
 * NEW check_in token for the reservation. The old one keeps working (the ticket email may
 * be printed or saved); CheckIn is unique per reservation, so two valid tokens can never
 * admit the party twice. Reservations confirmed after the reminder window opened are
 * skipped: their ticket email has just arrived.
 *
 * Never throws for one reservation's failure (logged, retried by the next run); throws
 * only if the candidate query itself fails.
 */
export async function sendDueReminders(
  prisma: PrismaClient,
  config: AppConfig,
  now: Date = new Date(),
  options: { limit?: number; claim?: ReminderClaimer } = {},
): Promise<ReminderReport> {
  const report: ReminderReport = { queued: 0, outboxIds: [], failed: 0 };
  // The window opens at most ~38 hours before a start (10:00 the day before, show at 23:59).
  const horizon = new Date(now.getTime() + 48 * HOUR);
  const candidates = await prisma.reservation.findMany({
    where: { status: "confirmed", email: { not: null }, reminderSentAt: null, anonymizedAt: null, performance: { startsAt: { gt: now, lte: horizon } } },
    select: { id: true, confirmedAt: true, performance: { select: performancePlaceSelect } },
    orderBy: [{ performance: { startsAt: "asc" } }, { id: "asc" }],
    take: Math.max(1, Math.min(options.limit ?? 500, 5000)),
  });
  const claim = options.claim ?? claimUnreminded;
  const log = getLogger();

  for (const candidate of candidates) {
    const performance = candidate.performance;
    const timeZone = safeTimeZone(performance.venue.timeZone, config.TIME_ZONE);
    const opensAt = reminderOpensAt(performance.startsAt, timeZone);
    if (now < opensAt) continue;
    if (candidate.confirmedAt && candidate.confirmedAt >= opensAt) continue;
    try {
      const outboxId = await withTransaction(prisma, async (tx) => {
        const row = await claim(tx, candidate.id, now);
        if (!row) return null;
        const token = generateToken();
        await tx.reservationToken.create({
          data: {
            reservationId: row.id,
            purpose: "check_in",
            tokenHash: hashToken(token),
            expiresAt: ticketsValidUntil(performance, config),
          },
        });
        return enqueueEmail(
          tx,
          reminderEmail(config, { reservationId: row.id, to: row.email, locale: row.locale, partySize: row.partySize, performance, token }),
        );
      });
      if (outboxId) {
        report.queued++;
        report.outboxIds.push(outboxId);
      }
    } catch (error) {
      report.failed++;
      // Only the error's code: a database message could echo row values.
      const e = error as { code?: string; name?: string };
      log.error({ reservationId: candidate.id, error: e?.code ?? e?.name ?? "unknown" }, "reminder could not be queued");
    }
  }
  if (report.queued > 0 || report.failed > 0) log.info({ queued: report.queued, failed: report.failed }, "reminders queued");
  return report;
}
