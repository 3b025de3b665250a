import type { Prisma, PrismaClient } from "@sipario/db";
import type { AppConfig } from "../config.ts";
import { getLogger } from "../logger.ts";

const DAY = 86_400_000;
const BATCH = 500;

export const ANONYMISED_NAME = "anonymised";
/** An address that can never be delivered (RFC 6761 .invalid) and stays unique per reservation. */
export const anonymisedEmail = (reservationId: string) => `anonymised+${reservationId}@invalid`;

/**
 * The one anonymisation rule for reservations, applied by the retention job and by
 * erasure on request (privacy/erasure.service.ts): name becomes "anonymised", email
 * "anonymised+<id>@invalid", phone and notes null, anonymizedAt set; partySize, status,
 * dates, tokens and check-ins stay, so counts still add up. Their outbox messages are
 * deleted (recipient and body are personal data) and the field changes recorded in their
 * audit entries are cleared (the entries stay). Rows already anonymised are skipped.
 * The caller holds the rows' locks (FOR UPDATE) in `tx`.
 */
export async function anonymiseReservations(
  tx: Prisma.TransactionClient,
  reservationIds: string[],
  now: Date,
): Promise<{ ids: string[]; emails: number; audits: number }> {
  if (reservationIds.length === 0) return { ids: [], emails: 0, audits: 0 };
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "Reservation" r
    SET "name" = ${ANONYMISED_NAME}, "email" = 'anonymised+' || r."id"::text || '@invalid',
        "phone" = NULL, "notes" = NULL, "anonymizedAt" = ${now}, "updatedAt" = ${now}
    WHERE r."id" = ANY(${reservationIds}::uuid[]) AND r."anonymizedAt" IS NULL
    RETURNING r."id"::text AS "id"`;
  if (rows.length === 0) return { ids: [], emails: 0, audits: 0 };
  const ids = rows.map((r) => r.id);
  const emails = await tx.emailOutbox.deleteMany({ where: { reservationId: { in: ids } } });
  const audits = await tx.$executeRaw`
    UPDATE "AuditLog" SET "changes" = NULL
    WHERE "entity" = 'Reservation' AND "entityId" = ANY(${ids}::text[]) AND "changes" IS NOT NULL`;
  return { ids, emails: emails.count, audits };
}

export interface RetentionReport {
  /** Reservations anonymised by this call. */
  anonymized: number;
  /** Outbox messages of those reservations deleted (they hold the address and the body). */
  emailsDeleted: number;
  /** Audit entries of those reservations whose recorded changes were cleared. */
  auditEntriesCleared: number;
}

/**
 * The retention policy (docs/security-notes.md): RETENTION_DAYS after a performance
 * started, its reservations lose their personal data by anonymiseReservations' rule.
 *
 * Idempotent and safe in several processes at once: rows are claimed in batches with
 * FOR UPDATE SKIP LOCKED and only rows with anonymizedAt null are touched. Each batch is
 * one transaction. Throws only what the database throws.
 */
export async function anonymizeOldReservations(
  prisma: PrismaClient,
  config: Pick<AppConfig, "RETENTION_DAYS">,
  now: Date = new Date(),
): Promise<RetentionReport> {
  const cutoff = new Date(now.getTime() - config.RETENTION_DAYS * DAY);
  const report: RetentionReport = { anonymized: 0, emailsDeleted: 0, auditEntriesCleared: 0 };
  for (;;) {
    const batch = await prisma.$transaction(
      async (tx) => {
        const due = await tx.$queryRaw<{ id: string }[]>`
          SELECT res."id"::text AS "id" FROM "Reservation" res
          JOIN "Performance" p ON p."id" = res."performanceId"
          WHERE res."anonymizedAt" IS NULL AND p."startsAt" < ${cutoff}
          ORDER BY p."startsAt"
          LIMIT ${BATCH}
          FOR UPDATE OF res SKIP LOCKED`;
        return anonymiseReservations(
          tx,
          due.map((r) => r.id),
          now,
        );
      },
      { maxWait: 15_000, timeout: 60_000 },
    );
    report.anonymized += batch.ids.length;
    report.emailsDeleted += batch.emails;
    report.auditEntriesCleared += batch.audits;
    if (batch.ids.length < BATCH) break;
  }
  if (report.anonymized > 0) getLogger().info({ ...report, retentionDays: config.RETENTION_DAYS }, "old reservations anonymised");
  return report;
}
