import { createHash } from "node:crypto";
import type { PrismaClient } from "@sipario/db";
import { z } from "zod";
import { recordAudit } from "../audit/audit.service.ts";
import type { Actor } from "../booking/admin.service.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { emailText } from "../lib/text.ts";
import { getLogger } from "../logger.ts";
import { anonymiseReservations } from "../retention/retention.service.ts";
import { anonymiseWaitlistEntries } from "../waitlist/offers.ts";
import { removeWaitlistEntry } from "../waitlist/waitlist.service.ts";

/** One person, named by the email they booked with (GDPR requests arrive by email). */
export const personSchema = z.object({ email: emailText() }).strict();
export type PersonInput = z.infer<typeof personSchema>;

/**
 * What the audit log keeps about a request instead of the address: the first 16 hex digits
 * of its SHA-256, so a later request about the same address can be matched to this one.
 */
export const personFingerprint = (email: string) => createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 16);

/**
 * Rate-limit keys name a person by a SHA-256 prefix of the email (rate-limit.service.ts's
 * personKey and the booking limit's hashToken prefix): the same 32 hex digits whenever
 * the email was lower-case, as every validated input is. Rows written before emails were
 * hashed hold it in clear; both forms are looked for.
 */
function rateLimitNeedles(email: string): string[] {
  return [createHash("sha256").update(email).digest("hex").slice(0, 32), email];
}

const ACTIVE_WAITLIST = ["pending", "waiting", "offered"] as const;

export interface ErasureReport {
  reservations: number;
  waitlistEntries: number;
  /** Entries still waiting (or holding an offer) that were ended first, releasing any held seats. */
  waitlistEntriesEnded: number;
  emailsDeleted: number;
  auditEntriesCleared: number;
  rateLimitRowsDeleted: number;
}

/**
 * Erasure on request (GDPR art. 17): every reservation and waiting-list entry of one email,
 * across all performances, loses its personal data by the retention job's own rules
 * (anonymiseReservations, anonymiseWaitlistEntries); counts, statuses, party sizes and
 * check-ins stay, so seat counts and attendance still add up. A booking still to come keeps
 * its seats and its ticket link (which names nobody); no email can reach the person again.
 * Waiting-list entries still active are first ended as an admin removal would (held seats
 * go back). Every email sent or queued to the address is deleted, and so are the rate-limit
 * counters keyed on it. Audited as "privacy.erase" with the counts and the address's
 * fingerprint, never the address. Idempotent: a second call finds nothing.
 * Throws BAD_REQUEST invalid_input (zod) on a malformed email.
 */
export async function erasePersonalData(prisma: PrismaClient, config: AppConfig, input: unknown, actor: Actor, now = new Date()): Promise<ErasureReport> {
  const { email } = personSchema.parse(input);
  let waitlistEntriesEnded = 0;
  const active = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id"::text AS "id" FROM "WaitlistEntry"
    WHERE lower("email") = ${email} AND "status"::text = ANY(${[...ACTIVE_WAITLIST]}::text[])`;
  for (const { id } of active) {
    try {
      await removeWaitlistEntry(prisma, config, id, actor, now);
      waitlistEntriesEnded++;
    } catch (error) {
      // It stopped waiting on its own meanwhile: nothing to end.
      if (!(error instanceof DomainError && error.reason === "not_waiting")) throw error;
    }
  }
  const report = await prisma.$transaction(
    async (tx) => {
      const reservations = await tx.$queryRaw<{ id: string }[]>`
        SELECT "id"::text AS "id" FROM "Reservation" WHERE lower("email") = ${email} AND "anonymizedAt" IS NULL FOR UPDATE`;
      const anonymised = await anonymiseReservations(
        tx,
        reservations.map((r) => r.id),
        now,
      );
      const entries = await tx.$queryRaw<{ id: string }[]>`
        SELECT "id"::text AS "id" FROM "WaitlistEntry" WHERE lower("email") = ${email} AND "anonymizedAt" IS NULL FOR UPDATE`;
      const anonymisedEntries = await anonymiseWaitlistEntries(
        tx,
        entries.map((r) => r.id),
        now,
      );
      const emails = await tx.$executeRaw`DELETE FROM "EmailOutbox" WHERE lower("toAddress") = ${email}`;
      const needles = rateLimitNeedles(email);
      const counters = await tx.$executeRaw`
        DELETE FROM "RateLimitBucket" WHERE EXISTS (SELECT 1 FROM unnest(${needles}::text[]) AS n WHERE strpos("key", n) > 0)`;
      const result: ErasureReport = {
        reservations: anonymised.ids.length,
        waitlistEntries: anonymisedEntries.length,
        waitlistEntriesEnded,
        emailsDeleted: anonymised.emails + emails,
        auditEntriesCleared: anonymised.audits,
        rateLimitRowsDeleted: counters,
      };
      await recordAudit(tx, {
        userId: actor.userId ?? null,
        actorLabel: actor.label,
        action: "privacy.erase",
        entity: "Person",
        entityId: personFingerprint(email),
        changes: { ...result },
      });
      return result;
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
  getLogger().info({ ...report }, "personal data erased on request");
  return report;
}
