import { createHash } from "node:crypto";
import type { PrismaClient } from "@sipario/db";
import { z } from "zod";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { emailText } from "../lib/text.ts";
import { getLogger } from "../logger.ts";
import { anonymiseReservations } from "../retention/retention.service.ts";
import { anonymiseWaitlistEntries } from "../waitlist/offers.ts";
import { removeWaitlistEntry } from "../waitlist/waitlist.service.ts";

/** One person, named by the email they booked with (GDPR requests arrive by email). */
export const personSchema = z.object({ email: emailText() }).strict();

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
        ...actorAudit(actor),
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

/** Everything stored about one email (GDPR art. 15 and 20). Never a token, a hash or an email body. */
export interface PersonalDataExport {
  email: string;
  generatedAt: string;
  reservations: {
    id: string;
    show: string;
    startsAt: string;
    venue: string;
    status: string;
    source: string;
    name: string;
    email: string | null;
    phone: string | null;
    partySize: number;
    notes: string | null;
    locale: string;
    createdAt: string;
    confirmedAt: string | null;
    cancelledAt: string | null;
    reminderSentAt: string | null;
    checkedInAt: string | null;
    /** Links issued (confirmation, ticket): when, until when, whether used. The links themselves are not kept. */
    links: { purpose: string; createdAt: string; expiresAt: string; usedAt: string | null }[];
  }[];
  waitlistEntries: {
    id: string;
    show: string;
    startsAt: string;
    status: string;
    name: string;
    email: string;
    phone: string | null;
    partySize: number;
    locale: string;
    createdAt: string;
    confirmedAt: string | null;
    offeredAt: string | null;
    endedAt: string | null;
    endedReason: string | null;
  }[];
  /** Emails written to the address: what, when, whether delivered. Bodies are not exported (sent ones are already cleared; queued ones hold live links). */
  emails: { kind: string; subject: string; status: string; createdAt: string; sentAt: string | null }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Access on request: what Sipario stores about one email, across performances, as plain
 * data an admin can send to the person (JSON, or personalDataAsText). Raw tokens are never
 * stored; token hashes and email bodies are left out. Audited as "privacy.export" with the
 * address's fingerprint. Throws BAD_REQUEST invalid_input (zod) on a malformed email.
 */
export async function exportPersonalData(prisma: PrismaClient, input: unknown, actor: Actor, now = new Date()): Promise<PersonalDataExport> {
  const { email } = personSchema.parse(input);
  const [reservations, entries, emails] = await Promise.all([
    prisma.reservation.findMany({
      where: { email: { equals: email, mode: "insensitive" } },
      orderBy: { createdAt: "asc" },
      include: {
        performance: { select: { startsAt: true, show: { select: { title: true } }, venue: { select: { name: true } } } },
        checkIn: { select: { checkedInAt: true } },
        tokens: { select: { purpose: true, createdAt: true, expiresAt: true, usedAt: true }, orderBy: { createdAt: "asc" } },
      },
    }),
    prisma.waitlistEntry.findMany({
      where: { email: { equals: email, mode: "insensitive" } },
      orderBy: { createdAt: "asc" },
      include: { performance: { select: { startsAt: true, show: { select: { title: true } } } } },
    }),
    prisma.emailOutbox.findMany({
      where: { toAddress: { equals: email, mode: "insensitive" } },
      orderBy: { createdAt: "asc" },
      select: { kind: true, subject: true, status: true, createdAt: true, sentAt: true },
    }),
  ]);
  const result: PersonalDataExport = {
    email,
    generatedAt: now.toISOString(),
    reservations: reservations.map((r) => ({
      id: r.id,
      show: r.performance.show.title,
      startsAt: r.performance.startsAt.toISOString(),
      venue: r.performance.venue.name,
      status: r.status,
      source: r.source,
      name: r.name,
      email: r.email,
      phone: r.phone,
      partySize: r.partySize,
      notes: r.notes,
      locale: r.locale,
      createdAt: r.createdAt.toISOString(),
      confirmedAt: iso(r.confirmedAt),
      cancelledAt: iso(r.cancelledAt),
      reminderSentAt: iso(r.reminderSentAt),
      checkedInAt: iso(r.checkIn?.checkedInAt ?? null),
      links: r.tokens.map((t) => ({ purpose: t.purpose, createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt.toISOString(), usedAt: iso(t.usedAt) })),
    })),
    waitlistEntries: entries.map((e) => ({
      id: e.id,
      show: e.performance.show.title,
      startsAt: e.performance.startsAt.toISOString(),
      status: e.status,
      name: e.name,
      email: e.email,
      phone: e.phone,
      partySize: e.partySize,
      locale: e.locale,
      createdAt: e.createdAt.toISOString(),
      confirmedAt: iso(e.confirmedAt),
      offeredAt: iso(e.offeredAt),
      endedAt: iso(e.endedAt),
      endedReason: e.endedReason,
    })),
    emails: emails.map((m) => ({ kind: m.kind, subject: m.subject, status: m.status, createdAt: m.createdAt.toISOString(), sentAt: iso(m.sentAt) })),
  };
  await recordAudit(prisma, {
    ...actorAudit(actor),
    action: "privacy.export",
    entity: "Person",
    entityId: personFingerprint(email),
    changes: { reservations: result.reservations.length, waitlistEntries: result.waitlistEntries.length, emails: result.emails.length },
  });
  return result;
}

/** The same export as plain text a person can read: one block per record, empty fields left out. */
export function personalDataAsText(data: PersonalDataExport): string {
  const block = (title: string, fields: Record<string, unknown>) =>
    [
      title,
      ...Object.entries(fields)
        .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => `  ${k}: ${Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join("; ") : String(v)}`),
    ].join("\n");
  const sections = [
    `Personal data stored about ${data.email} (generated ${data.generatedAt})`,
    `Reservations: ${data.reservations.length}`,
    ...data.reservations.map((r, i) =>
      block(`Reservation ${i + 1}: ${r.show}, ${r.startsAt}, ${r.venue}`, { ...r, show: undefined, startsAt: undefined, venue: undefined }),
    ),
    `Waiting-list entries: ${data.waitlistEntries.length}`,
    ...data.waitlistEntries.map((e, i) => block(`Waiting-list entry ${i + 1}: ${e.show}, ${e.startsAt}`, { ...e, show: undefined, startsAt: undefined })),
    `Emails: ${data.emails.length}`,
    ...data.emails.map((m) => `  ${m.createdAt} ${m.kind} "${m.subject}" (${m.status}${m.sentAt ? `, sent ${m.sentAt}` : ""})`),
  ];
  return `${sections.join("\n\n")}\n`;
}
