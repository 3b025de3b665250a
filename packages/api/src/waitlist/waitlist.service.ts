import type { PrismaClient } from "@sipario/db";
import { availableSeats, NO_SEATS_TAKEN, seatsTakenByPerformance } from "../capacity/capacity.service.ts";
import { isUuid } from "../lib/ids.ts";
import { withTransaction, type Tx } from "../lib/transaction.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { getLogger } from "../logger.ts";
import { deliverSoon, enqueueEmail } from "../mail/outbox.service.ts";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import { performancePlaceSelect } from "../booking/emails.ts";
import { type ContentLocale, localize } from "../i18n/translated.ts";
import { generateToken, hashToken } from "../lib/tokens.ts";
import { confirmationExpiry } from "../booking/booking.service.ts";
import { deliverOffers, listClosesAt, offerToEntry, placeOfPerformance, waitlistGuard, withSeatRelease, type OfferMade } from "./offers.ts";
import type { JoinWaitlistInput } from "./waitlist.schema.ts";
import { alreadyOnListEmail, positionEmail, verifyEmail } from "./waitlist-emails.ts";

/**
 * The waiting list (CONTRACT.md "Waiting list", docs/booking-flow.md section 7). Entries
 * count only once their email is verified; the queue is ordered by queueRank (the order
 * of verification, changed only by an admin). Offers: offers.ts.
 */

export type WaitlistStatus = "pending" | "waiting" | "offered" | "booked" | "lapsed" | "left" | "closed";
const ACTIVE: WaitlistStatus[] = ["pending", "waiting", "offered"];

/** The validated waitlist.join input (phone optional for other callers: tests, scripts). */
export type JoinInput = Omit<JoinWaitlistInput, "phone"> & { phone?: string };

function waitlistOpen(p: { isBookingEnabled: boolean; status: string; startsAt: Date; bookingClosesAt: Date | null }, now: Date): boolean {
  return p.isBookingEnabled && p.status === "scheduled" && listClosesAt(p).getTime() > now.getTime();
}

/**
 * waitlist.join: a pending entry and its verification email (link valid
 * CONFIRMATION_TOKEN_TTL_HOURS, never past the close). The answer is the same whether
 * or not the email is already on this list (nobody learns who waits): an active entry
 * gets a fresh link by email instead of a second entry.
 * Throws invalid_input (party over MAX_PARTY_SIZE), not_found, booking_closed,
 * booking_not_open_yet, seats_available (the party fits now: book instead).
 */
export async function joinWaitlist(prisma: PrismaClient, config: AppConfig, input: JoinInput, now = new Date()) {
  if (input.partySize > config.MAX_PARTY_SIZE) {
    throw new DomainError("invalid_input", `At most ${config.MAX_PARTY_SIZE} seats per booking.`, {
      issues: [{ path: "partySize", message: `At most ${config.MAX_PARTY_SIZE}` }],
    });
  }
  const performance = await prisma.performance.findUnique({
    where: { id: input.performanceId },
    select: {
      ...performancePlaceSelect,
      isBookingEnabled: true,
      status: true,
      bookingOpensAt: true,
      bookingClosesAt: true,
      roomCapacity: true,
      additionalSeats: true,
      manuallyOccupiedSeats: true,
      show: { select: { ...performancePlaceSelect.show.select, isPublished: true } },
    },
  });
  if (!performance || !performance.show.isPublished) throw new DomainError("not_found", "Performance not found.");
  if (!waitlistOpen(performance, now)) throw new DomainError("booking_closed", "Booking is closed for this performance.");
  if (performance.bookingOpensAt && performance.bookingOpensAt.getTime() > now.getTime()) {
    throw new DomainError("booking_not_open_yet", "Booking has not opened yet.", { opensAt: performance.bookingOpensAt.toISOString() });
  }
  const taken = (await seatsTakenByPerformance(prisma, [performance.id], now)).get(performance.id) ?? NO_SEATS_TAKEN;
  const available = availableSeats(performance, taken);
  if (input.partySize <= available) {
    throw new DomainError("seats_available", "There are seats for your party: book them instead.", { availableSeats: available });
  }

  const token = generateToken();
  const closesAt = listClosesAt(performance);
  const verifyExpiresAt = confirmationExpiry(config, closesAt, now);
  const recipient = (entryId: string) => ({
    entryId,
    to: input.email,
    name: input.name,
    locale: input.locale ?? "it",
    partySize: input.partySize,
    performance,
  });
  const outboxId = await withTransaction(prisma, async (tx) => {
    // One active entry per email and performance: the partial unique index decides.
    const [created] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "WaitlistEntry" ("id", "performanceId", "status", "name", "email", "phone", "partySize", "locale", "createdAt", "updatedAt")
      VALUES (gen_random_uuid(), ${performance.id}::uuid, 'pending', ${input.name}, ${input.email}, ${input.phone ?? null}, ${input.partySize},
        ${input.locale ?? "it"}, ${now}, ${now})
      ON CONFLICT ("performanceId", "email") WHERE "status" IN ('pending', 'waiting', 'offered') DO NOTHING
      RETURNING "id"::text AS "id"`;
    if (created) {
      await tx.waitlistToken.create({ data: { entryId: created.id, purpose: "verify", tokenHash: hashToken(token), expiresAt: verifyExpiresAt } });
      return enqueueEmail(tx, verifyEmail(config, recipient(created.id), token, verifyExpiresAt));
    }
    const existing = await tx.waitlistEntry.findFirst({
      where: { performanceId: performance.id, email: input.email, status: { in: ACTIVE } },
      select: { id: true, status: true, locale: true, partySize: true },
    });
    if (!existing) throw new DomainError("unavailable", "Please try again.");
    const again = { ...recipient(existing.id), locale: existing.locale, partySize: existing.partySize };
    if (existing.status === "pending") {
      // A lost verification email: a new link replaces the old ones.
      await tx.waitlistToken.deleteMany({ where: { entryId: existing.id, purpose: "verify" } });
      await tx.waitlistToken.create({ data: { entryId: existing.id, purpose: "verify", tokenHash: hashToken(token), expiresAt: verifyExpiresAt } });
      return enqueueEmail(tx, verifyEmail(config, again, token, verifyExpiresAt));
    }
    await tx.waitlistToken.create({ data: { entryId: existing.id, purpose: "manage", tokenHash: hashToken(token), expiresAt: closesAt } });
    return enqueueEmail(tx, alreadyOnListEmail(config, again, token));
  });
  getLogger().info({ performanceId: performance.id, partySize: input.partySize }, "waiting-list sign-up");
  deliverSoon(prisma, config, outboxId);
  return { status: "pending" as const, token };
}

interface TokenEntry {
  tokenId: string;
  purpose: "verify" | "manage";
  usedAt: Date | null;
  expiresAt: Date;
  entryId: string;
  performanceId: string;
  status: WaitlistStatus;
}

async function entryByToken(db: PrismaClient | Tx, rawToken: string): Promise<TokenEntry> {
  const [row] = await db.$queryRaw<TokenEntry[]>`
    SELECT t."id"::text AS "tokenId", t."purpose"::text AS "purpose", t."usedAt", t."expiresAt",
      e."id"::text AS "entryId", e."performanceId"::text AS "performanceId", e."status"::text AS "status"
    FROM "WaitlistToken" t JOIN "WaitlistEntry" e ON e."id" = t."entryId"
    WHERE t."tokenHash" = ${hashToken(rawToken)}`;
  if (!row) throw new DomainError("unknown_token", "This waiting-list link is not valid.");
  return row;
}

/** 1 + waiting entries ahead of this one, read in the caller's transaction. */
async function positionOf(db: PrismaClient | Tx, entryId: string): Promise<number | null> {
  const [row] = await db.$queryRaw<{ position: number | null }[]>`
    SELECT CASE WHEN e."status" = 'waiting' THEN (
      SELECT COUNT(*) + 1 FROM "WaitlistEntry" o
      WHERE o."performanceId" = e."performanceId" AND o."status" = 'waiting'
        AND (o."queueRank" < e."queueRank" OR (o."queueRank" = e."queueRank" AND o."id" < e."id")))::int END AS "position"
    FROM "WaitlistEntry" e WHERE e."id" = ${entryId}::uuid`;
  return row?.position ?? null;
}

/**
 * waitlist.confirm: the verification link, POSTed from the page. The entry joins the end
 * of the queue (under the performance lock, so ranks follow verification order) and gets
 * the "you are on the list, position N" email; if seats are free for it right away (seats
 * came back while nobody was waiting), the offer is made at once instead.
 * Throws unknown_token, token_used, token_expired, booking_closed (the list has closed).
 */
export async function confirmWaitlistEntry(prisma: PrismaClient, config: AppConfig, rawToken: string, now = new Date()) {
  const found = await entryByToken(prisma, rawToken);
  if (found.purpose !== "verify") throw new DomainError("unknown_token", "This waiting-list link is not valid.");
  if (found.usedAt || found.status !== "pending") {
    throw new DomainError("token_used", "This link has already been used.", { status: found.status });
  }
  if (found.expiresAt.getTime() <= now.getTime()) throw new DomainError("token_expired", "This link has expired. Please sign up again.");

  let positionOutbox: string | null = null;
  const { result, offers } = await withSeatRelease(prisma, config, found.performanceId, now, async (tx) => {
    const [open] = await tx.$queryRaw<{ open: boolean }[]>`
      SELECT (p."isBookingEnabled" AND p."status" = 'scheduled' AND p."startsAt" > ${now}
        AND (p."bookingClosesAt" IS NULL OR p."bookingClosesAt" > ${now})) AS "open"
      FROM "Performance" p WHERE p."id" = ${found.performanceId}::uuid`;
    if (!open?.open) throw new DomainError("booking_closed", "The waiting list for this performance has closed.");
    const consumed = await tx.$executeRaw`
      UPDATE "WaitlistToken" SET "usedAt" = ${now} WHERE "id" = ${found.tokenId}::uuid AND "usedAt" IS NULL`;
    const joined = await tx.$executeRaw`
      UPDATE "WaitlistEntry" e SET "status" = 'waiting', "confirmedAt" = ${now}, "updatedAt" = ${now},
        "queueRank" = (SELECT COALESCE(MAX(o."queueRank"), 0) + 1 FROM "WaitlistEntry" o WHERE o."performanceId" = e."performanceId")
      WHERE e."id" = ${found.entryId}::uuid AND e."status" = 'pending'`;
    if (consumed !== 1 || joined !== 1) throw new DomainError("token_used", "This link has already been used.");
    return positionOf(tx, found.entryId);
  });
  const offered = offers.some((o) => o.entryId === found.entryId);
  if (!offered && result !== null) {
    // Outside the seat lock: the email names the position as it was a moment ago.
    const entry = await prisma.waitlistEntry.findUniqueOrThrow({
      where: { id: found.entryId },
      select: { email: true, name: true, locale: true, partySize: true },
    });
    const place = await placeOfPerformance(prisma, found.performanceId);
    positionOutbox = await enqueueEmail(
      prisma,
      positionEmail(
        config,
        { entryId: found.entryId, to: entry.email, name: entry.name, locale: entry.locale, partySize: entry.partySize, performance: place },
        rawToken,
        result,
      ),
    );
    deliverSoon(prisma, config, positionOutbox);
  }
  getLogger().info({ entryId: found.entryId, offered }, "waiting-list entry confirmed");
  return offered ? { status: "offered" as const, position: null } : { status: "waiting" as const, position: result ?? 1 };
}

/**
 * waitlist.status: what the /waitlist/<token> page shows. Any token of the entry works.
 * No personal data. Throws unknown_token.
 */
export async function waitlistStatus(prisma: PrismaClient, rawToken: string, now = new Date(), locale: ContentLocale = "it") {
  const found = await entryByToken(prisma, rawToken);
  const entry = await prisma.waitlistEntry.findUniqueOrThrow({
    where: { id: found.entryId },
    select: {
      status: true,
      partySize: true,
      offerExpiresAt: true,
      performance: {
        select: {
          id: true,
          startsAt: true,
          show: { select: { title: true, titleEn: true, slug: true } },
          venue: { select: { name: true, nameEn: true, city: true, timeZone: true } },
        },
      },
    },
  });
  const status = entry.status as WaitlistStatus;
  return {
    status,
    position: status === "waiting" ? await positionOf(prisma, found.entryId) : null,
    offerExpiresAt: status === "offered" ? (entry.offerExpiresAt?.toISOString() ?? null) : null,
    /** A verification link that can still confirm the sign-up. */
    canConfirm: found.purpose === "verify" && status === "pending" && !found.usedAt && found.expiresAt.getTime() > now.getTime(),
    canLeave: ACTIVE.includes(status),
    partySize: entry.partySize,
    performance: {
      id: entry.performance.id,
      startsAt: entry.performance.startsAt.toISOString(),
      show: { slug: entry.performance.show.slug, ...localize(entry.performance.show, ["title"], locale) },
      venue: { city: entry.performance.venue.city, timeZone: entry.performance.venue.timeZone, ...localize(entry.performance.venue, ["name"], locale) },
    },
  };
}

/**
 * Ends an active entry (pending, waiting or offered). An unclaimed offer is declined: its
 * reservation is cancelled and the seats go to the next entry in the same transaction.
 * Returns the previous status, or null when the entry was no longer active.
 */
async function endEntry(tx: Tx, entryId: string, reason: string, now: Date): Promise<string | null> {
  const [row] = await tx.$queryRaw<{ previous: string; reservationId: string | null }[]>`
    WITH old AS (SELECT "id", "status"::text AS "previous", "reservationId" FROM "WaitlistEntry" WHERE "id" = ${entryId}::uuid FOR UPDATE)
    UPDATE "WaitlistEntry" e SET "status" = 'left', "endedReason" = ${reason}, "endedAt" = ${now}, "updatedAt" = ${now}
    FROM old WHERE e."id" = old."id" AND old."previous" IN ('pending', 'waiting', 'offered')
    RETURNING old."previous", old."reservationId"::text AS "reservationId"`;
  if (!row) return null;
  if (row.previous === "offered" && row.reservationId) {
    await tx.$executeRaw`
      UPDATE "Reservation" SET "status" = 'cancelled', "cancelledAt" = ${now}, "updatedAt" = ${now}
      WHERE "id" = ${row.reservationId}::uuid AND "status" = 'pending'`;
    await tx.$executeRaw`
      UPDATE "ReservationToken" SET "usedAt" = ${now}
      WHERE "reservationId" = ${row.reservationId}::uuid AND "purpose" = 'confirmation' AND "usedAt" IS NULL`;
  }
  return row.previous;
}

/**
 * waitlist.leave, with the token of any waiting-list email. Leaving twice answers "left"
 * again. Throws unknown_token, not_waiting (booked, lapsed or closed: nothing to leave).
 */
export async function leaveWaitlist(prisma: PrismaClient, config: AppConfig, rawToken: string, now = new Date()) {
  const found = await entryByToken(prisma, rawToken);
  if (found.status === "left") return { status: "left" as const };
  if (!ACTIVE.includes(found.status)) {
    throw new DomainError("not_waiting", "This entry is no longer on the waiting list.", { status: found.status });
  }
  const { result } = await withSeatRelease(prisma, config, found.performanceId, now, (tx) =>
    endEntry(tx, found.entryId, found.status === "offered" ? "declined_offer" : "left_by_visitor", now),
  );
  if (result === null) {
    const fresh = await entryByToken(prisma, rawToken);
    if (fresh.status !== "left") throw new DomainError("not_waiting", "This entry is no longer on the waiting list.", { status: fresh.status });
  }
  getLogger().info({ entryId: found.entryId, previous: result }, "left the waiting list");
  return { status: "left" as const };
}

// ---------------------------------------------------------------------------------------
// Back-office

export interface WaitlistRow {
  id: string;
  position: number | null;
  name: string;
  email: string;
  partySize: number;
  status: WaitlistStatus;
  confirmedAt: Date | null;
  offerExpiresAt: Date | null;
  passedOverReason: string | null;
  passedOverSeats: number | null;
  passedOverAt: Date | null;
  endedReason: string | null;
  createdAt: Date;
}

/** The list of one performance for the back-office: waiting entries by position, then the rest. */
export async function listWaitlist(prisma: PrismaClient, performanceId: string): Promise<WaitlistRow[]> {
  if (!isUuid(performanceId)) throw new DomainError("not_found", "Performance not found.");
  const rows = await prisma.$queryRaw<WaitlistRow[]>`
    SELECT e."id"::text AS "id",
      CASE WHEN e."status" = 'waiting' THEN (ROW_NUMBER() OVER (PARTITION BY e."status" = 'waiting' ORDER BY e."queueRank", e."id"))::int END AS "position",
      e."name", e."email", e."partySize", e."status"::text AS "status", e."confirmedAt", e."offerExpiresAt",
      e."passedOverReason", e."passedOverSeats", e."passedOverAt", e."endedReason", e."createdAt"
    FROM "WaitlistEntry" e WHERE e."performanceId" = ${performanceId}::uuid
    ORDER BY (e."status" = 'waiting') DESC, (e."status" = 'offered') DESC, e."queueRank" NULLS LAST, e."createdAt"`;
  return rows;
}

async function entryForAdmin(prisma: PrismaClient, entryId: string) {
  if (!isUuid(entryId)) throw new DomainError("not_found", "Waiting-list entry not found.");
  const entry = await prisma.waitlistEntry.findUnique({ where: { id: entryId }, select: { id: true, performanceId: true, status: true } });
  if (!entry) throw new DomainError("not_found", "Waiting-list entry not found.");
  return entry;
}

async function audit(tx: Tx | PrismaClient, actor: Actor, action: string, entryId: string, changes?: Record<string, unknown>) {
  await recordAudit(tx, { ...actorAudit(actor), action, entity: "WaitlistEntry", entityId: entryId, changes });
}

/**
 * Moves a waiting entry one place up or down (swaps queue ranks with its neighbour), under
 * the performance lock; audited. Throws not_found, not_waiting.
 * Returns the new position (unchanged at either end of the queue).
 */
export async function moveWaitlistEntry(prisma: PrismaClient, config: AppConfig, entryId: string, direction: "up" | "down", actor: Actor, now = new Date()) {
  const entry = await entryForAdmin(prisma, entryId);
  const { result } = await withSeatRelease(prisma, config, entry.performanceId, now, async (tx) => {
    const [me] = await tx.$queryRaw<{ queueRank: number; status: string }[]>`
      SELECT "queueRank", "status"::text AS "status" FROM "WaitlistEntry" WHERE "id" = ${entryId}::uuid`;
    if (me?.status !== "waiting") throw new DomainError("not_waiting", "Only a waiting entry can be moved.", { status: me?.status ?? null });
    const [neighbour] =
      direction === "up"
        ? await tx.$queryRaw<{ id: string; queueRank: number }[]>`
          SELECT "id"::text AS "id", "queueRank" FROM "WaitlistEntry"
          WHERE "performanceId" = ${entry.performanceId}::uuid AND "status" = 'waiting' AND "queueRank" < ${me.queueRank}
          ORDER BY "queueRank" DESC LIMIT 1`
        : await tx.$queryRaw<{ id: string; queueRank: number }[]>`
          SELECT "id"::text AS "id", "queueRank" FROM "WaitlistEntry"
          WHERE "performanceId" = ${entry.performanceId}::uuid AND "status" = 'waiting' AND "queueRank" > ${me.queueRank}
          ORDER BY "queueRank" ASC LIMIT 1`;
    if (neighbour) {
      await tx.$executeRaw`UPDATE "WaitlistEntry" SET "queueRank" = ${neighbour.queueRank}, "updatedAt" = ${now} WHERE "id" = ${entryId}::uuid`;
      await tx.$executeRaw`UPDATE "WaitlistEntry" SET "queueRank" = ${me.queueRank}, "updatedAt" = ${now} WHERE "id" = ${neighbour.id}::uuid`;
      await audit(tx, actor, `waitlist.move_${direction}`, entryId, { swappedWith: neighbour.id });
    }
    return positionOf(tx, entryId);
  });
  return { entryId, position: result };
}

/**
 * Offers seats to one waiting entry now, out of turn (also while online booking is
 * switched off), if its party fits what is free, held offers included; audited.
 * Throws not_found, not_waiting, not_enough_seats, booking_closed.
 */
export async function offerWaitlistEntryNow(prisma: PrismaClient, config: AppConfig, entryId: string, actor: Actor, now = new Date()): Promise<OfferMade> {
  const entry = await entryForAdmin(prisma, entryId);
  const made = await withTransaction(prisma, async (tx) => {
    await waitlistGuard.lockPerformance(tx, entry.performanceId);
    const offer = await offerToEntry(tx, config, entryId, now);
    await audit(tx, actor, "waitlist.offer", entryId, { reservationId: offer.reservationId, offerExpiresAt: offer.offerExpiresAt.toISOString() });
    return offer;
  });
  deliverOffers(prisma, config, [made]);
  return made;
}

/**
 * Takes an entry off the list (its offer, if any, is withdrawn and the seats passed on);
 * audited. Throws not_found, not_waiting.
 */
export async function removeWaitlistEntry(prisma: PrismaClient, config: AppConfig, entryId: string, actor: Actor, now = new Date()) {
  const entry = await entryForAdmin(prisma, entryId);
  const { result } = await withSeatRelease(prisma, config, entry.performanceId, now, async (tx) => {
    const previous = await endEntry(tx, entryId, "removed_by_admin", now);
    if (previous === null) throw new DomainError("not_waiting", "This entry is no longer on the waiting list.", { status: entry.status });
    await audit(tx, actor, "waitlist.remove", entryId, { from: previous });
    return previous;
  });
  return { entryId, status: "left" as const, previous: result };
}
