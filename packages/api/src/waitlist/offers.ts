import { Prisma, type PrismaClient } from "@sipario/db";
import { availableSeatsSql, lockPerformance, type LockedPerformance } from "../capacity/capacity.service.ts";
import { withTransaction, type Tx } from "../lib/transaction.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { getLogger } from "../logger.ts";
import { ANONYMISED_NAME } from "../retention/retention.service.ts";
import { deliverSoon, enqueueEmail } from "../mail/outbox.service.ts";
import { invalidatePublicReads } from "../lib/public-read-cache.ts";
import { generateToken, hashToken, insertReservationTokenSql } from "../lib/tokens.ts";
import type { PerformancePlace } from "../booking/emails.ts";
import { closedEmail, lapsedEmail, offerEmail } from "./waitlist-emails.ts";

/**
 * Waiting-list offers (docs/adr/0013-waitlist-offers-hold-seats.md). Invariants:
 * - every change of a performance's seats (confirmation, cancellation, capacity edit, offer,
 *   lapse, leave) holds the performance row lock (`FOR UPDATE`), so "count the free seats,
 *   then offer them" is atomic: the seats a release frees are offered in the same
 *   transaction, before any direct booking can see them;
 * - offers walk the queue in order and the first entry whose party fits gets the seats; an
 *   entry that does not fit is passed over (and the reason recorded), never a blocker;
 * - an offer is a pending Reservation (source waitlist) whose seats count as taken until
 *   offerExpiresAt; an entry moves waiting -> offered with a conditional update, so it can
 *   never hold two offers.
 */

/**
 * The lock every waiting-list seat change takes. Production never changes it:
 * testing/without-offer-lock.ts swaps it for a plain read so the race test's control run
 * can show what concurrent releases do without it.
 */
export const waitlistGuard = {
  lockPerformance: (tx: Tx, performanceId: string): Promise<LockedPerformance | null> => lockPerformance(tx, performanceId),
};

export interface QueuedEntry {
  id: string;
  partySize: number;
}

export interface Allocation {
  offers: QueuedEntry[];
  passedOver: (QueuedEntry & { seatsFree: number })[];
}

/**
 * Who gets `available` seats: walk the queue in order; the first entry whose party fits
 * gets its seats, the next ones share what is left. An entry too large for what is free
 * is passed over (with the seats free at that point) but keeps its place.
 */
export function allocateSeats(available: number, queue: readonly QueuedEntry[]): Allocation {
  let free = Math.max(0, available);
  const offers: QueuedEntry[] = [];
  const passedOver: Allocation["passedOver"] = [];
  for (const entry of queue) {
    if (free <= 0) break;
    if (entry.partySize <= free) {
      offers.push(entry);
      free -= entry.partySize;
    } else {
      passedOver.push({ ...entry, seatsFree: free });
    }
  }
  return { offers, passedOver };
}

/** When booking (and so the waiting list) closes: bookingClosesAt when set, else the start. */
export function listClosesAt(p: { startsAt: Date; bookingClosesAt?: Date | null }): Date {
  return p.bookingClosesAt && p.bookingClosesAt.getTime() < p.startsAt.getTime() ? p.bookingClosesAt : p.startsAt;
}

const QUEUE_PAGE = 100;

export interface OfferMade {
  entryId: string;
  reservationId: string;
  offerExpiresAt: Date;
  outboxId: string;
}

interface PerformanceRow {
  id: string;
  startsAt: Date;
  bookingClosesAt: Date | null;
  open: boolean;
  available: number;
  waiting: number;
  showTitle: string;
  venueName: string;
  venueAddress: string;
  venueCity: string;
  venueTimeZone: string;
}

export function placeOf(
  row: Pick<PerformanceRow, "id" | "startsAt" | "showTitle" | "venueName" | "venueAddress" | "venueCity" | "venueTimeZone">,
): PerformancePlace {
  return {
    id: row.id,
    startsAt: row.startsAt,
    show: { title: row.showTitle },
    venue: { name: row.venueName, address: row.venueAddress, city: row.venueCity, timeZone: row.venueTimeZone },
  };
}

/** Columns naming the performance `p` for the emails (with its show `s` and venue `v`). */
export const PLACE_COLUMNS = Prisma.sql`p."id"::text AS "id", p."startsAt", s."title" AS "showTitle", v."name" AS "venueName",
  v."address" AS "venueAddress", v."city" AS "venueCity", v."timeZone" AS "venueTimeZone"`;
export const PLACE_JOINS = Prisma.sql`JOIN "Show" s ON s."id" = p."showId" JOIN "Venue" v ON v."id" = p."venueId"`;

/** Bookable now: enabled, not cancelled, before the close. The SQL twin of waitlistOpen(). */
export const BOOKING_OPEN_SQL = (now: Date) => Prisma.sql`(p."isBookingEnabled" AND p."status" = 'scheduled'
  AND p."startsAt" > ${now}::timestamptz AND (p."bookingClosesAt" IS NULL OR p."bookingClosesAt" > ${now}::timestamptz))`;

/**
 * Offers the free seats of a performance to its waiting entries, inside the caller's
 * transaction, which must already hold the performance lock (waitlistGuard). Does nothing
 * (one statement) when nobody waits or nothing is free. Returns the offers made; the caller
 * calls `deliverOffers` after its commit.
 */
export async function offerFreeSeats(tx: Tx, config: AppConfig, performanceId: string, now: Date): Promise<OfferMade[]> {
  const [p] = await tx.$queryRaw<PerformanceRow[]>`
    SELECT ${PLACE_COLUMNS}, p."bookingClosesAt", ${BOOKING_OPEN_SQL(now)} AS "open", ${availableSeatsSql(now)} AS "available",
      (SELECT COUNT(*) FROM "WaitlistEntry" e WHERE e."performanceId" = p."id" AND e."status" = 'waiting')::int AS "waiting"
    FROM "Performance" p ${PLACE_JOINS}
    WHERE p."id" = ${performanceId}::uuid`;
  if (!p || !p.open || p.waiting === 0 || p.available === 0) return [];

  // Walk the queue a page at a time: a release usually frees a few seats, and the first
  // page nearly always places them. The lock is held meanwhile, so keep it short.
  type Queued = QueuedEntry & { name: string; email: string; phone: string | null; locale: string };
  const queue: Queued[] = [];
  const offers: QueuedEntry[] = [];
  const passedOver: Allocation["passedOver"] = [];
  let free = p.available;
  for (let page = 0; free > 0; page++) {
    const rows = await tx.$queryRaw<Queued[]>`
      SELECT "id"::text AS "id", "partySize", "name", "email", "phone", "locale" FROM "WaitlistEntry"
      WHERE "performanceId" = ${performanceId}::uuid AND "status" = 'waiting'
      ORDER BY "queueRank", "confirmedAt", "id"
      LIMIT ${QUEUE_PAGE} OFFSET ${page * QUEUE_PAGE}`;
    queue.push(...rows);
    const step = allocateSeats(free, rows);
    offers.push(...step.offers);
    passedOver.push(...step.passedOver);
    free -= step.offers.reduce((n, o) => n + o.partySize, 0);
    if (rows.length < QUEUE_PAGE) break;
  }

  if (passedOver.length > 0) {
    await tx.$executeRaw`
      UPDATE "WaitlistEntry" e SET "passedOverReason" = 'party_too_large', "passedOverSeats" = v."seats", "passedOverAt" = ${now}, "updatedAt" = ${now}
      FROM unnest(${passedOver.map((e) => e.id)}::uuid[], ${passedOver.map((e) => e.seatsFree)}::int[]) AS v("id", "seats")
      WHERE e."id" = v."id" AND e."status" = 'waiting'`;
  }

  const offerExpiresAt = new Date(Math.min(now.getTime() + config.WAITLIST_OFFER_MINUTES * 60_000, listClosesAt(p).getTime()));
  const place = placeOf(p);
  const made: OfferMade[] = [];
  for (const offer of offers) {
    const entry = queue.find((e) => e.id === offer.id)!;
    const offerMade = await makeOffer(tx, config, { ...entry, performanceId }, place, offerExpiresAt, now);
    if (offerMade) made.push(offerMade);
  }
  if (made.length > 0) getLogger().info({ performanceId, offers: made.length, passedOver: passedOver.length }, "waiting-list offers made");
  return made;
}

/**
 * Turns one waiting entry into an offer: the entry first (conditional: still waiting, so
 * never two offers), then its pending reservation holding the seats, its confirmation link
 * (valid until the offer lapses), a decline link and the offer email.
 */
async function makeOffer(
  tx: Tx,
  config: AppConfig,
  entry: { id: string; performanceId: string; name: string; email: string; phone: string | null; partySize: number; locale: string },
  place: PerformancePlace,
  offerExpiresAt: Date,
  now: Date,
): Promise<OfferMade | null> {
  const reservationId = crypto.randomUUID();
  const confirmationToken = generateToken();
  const waitlistToken = generateToken();
  const email = offerEmail(
    config,
    { entryId: entry.id, to: entry.email, locale: entry.locale, partySize: entry.partySize, performance: place },
    {
      reservationId,
      confirmationToken,
      waitlistToken,
      offerExpiresAt,
    },
  );
  // One statement (one round trip under the lock). The entry is claimed first and
  // conditionally: under the lock it is always still waiting; were it not, nothing at all
  // is written for it (every insert reads from `claimed`), so it never gets a second offer.
  const [row] = await tx.$queryRaw<{ outboxId: string | null }[]>`
    WITH claimed AS (
      UPDATE "WaitlistEntry" SET "status" = 'offered', "offeredAt" = ${now}, "offerExpiresAt" = ${offerExpiresAt},
        "reservationId" = ${reservationId}::uuid, "updatedAt" = ${now}
      WHERE "id" = ${entry.id}::uuid AND "status" = 'waiting'
      RETURNING "id"),
    res AS (
      INSERT INTO "Reservation" ("id", "performanceId", "status", "source", "name", "email", "phone", "partySize", "locale", "offerExpiresAt", "createdAt", "updatedAt")
      SELECT ${reservationId}::uuid, ${entry.performanceId}::uuid, 'pending', 'waitlist', ${entry.name}, ${entry.email}, ${entry.phone},
        ${entry.partySize}::int, ${entry.locale}, ${offerExpiresAt}, ${now}, ${now}
      FROM claimed
      RETURNING "id"),
    link AS (${insertReservationTokenSql("confirmation", confirmationToken, offerExpiresAt, Prisma.raw("res"), now)}),
    manage AS (
      INSERT INTO "WaitlistToken" ("id", "entryId", "purpose", "tokenHash", "expiresAt", "createdAt")
      SELECT gen_random_uuid(), "id", 'manage', ${hashToken(waitlistToken)}, ${listClosesAt(place)}, ${now} FROM claimed
      RETURNING "id"),
    mail AS (
      INSERT INTO "EmailOutbox" ("id", "kind", "reservationId", "toAddress", "subject", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), ${email.kind}, "id", ${email.to}, ${email.subject.slice(0, 300)}, ${JSON.stringify(email.payload)}::jsonb,
        'pending', 0, ${now}, ${now}, ${now} FROM res
      RETURNING "id")
    SELECT (SELECT "id"::text FROM mail) AS "outboxId", (SELECT COUNT(*) FROM link)::int AS "links", (SELECT COUNT(*) FROM manage)::int AS "manage"`;
  const outboxId = row?.outboxId;
  if (!outboxId) {
    getLogger().warn({ entryId: entry.id }, "waiting entry changed while offering; skipped");
    return null;
  }
  return { entryId: entry.id, reservationId, offerExpiresAt, outboxId };
}

/**
 * An offer to one waiting entry chosen by an admin, out of turn, inside the caller's locked
 * transaction. It may be made while online booking is switched off (the admin is handing
 * seats out), never after the close or for more seats than are free (held offers count).
 * Throws not_waiting, not_enough_seats, booking_closed.
 */
export async function offerToEntry(tx: Tx, config: AppConfig, entryId: string, now: Date): Promise<OfferMade> {
  const [row] = await tx.$queryRaw<
    (Parameters<typeof placeOf>[0] & {
      bookingClosesAt: Date | null;
      scheduled: boolean;
      available: number;
      entryStatus: string;
      name: string;
      email: string;
      phone: string | null;
      partySize: number;
      locale: string;
    })[]
  >`
    SELECT ${PLACE_COLUMNS}, p."bookingClosesAt", p."status" = 'scheduled' AS "scheduled", ${availableSeatsSql(now)} AS "available",
      e."status"::text AS "entryStatus", e."name", e."email", e."phone", e."partySize", e."locale"
    FROM "WaitlistEntry" e JOIN "Performance" p ON p."id" = e."performanceId" ${PLACE_JOINS}
    WHERE e."id" = ${entryId}::uuid`;
  if (!row || row.entryStatus !== "waiting") {
    throw new DomainError("not_waiting", "Only a waiting entry can get an offer.", { status: row?.entryStatus ?? null });
  }
  if (!row.scheduled || listClosesAt(row).getTime() <= now.getTime()) {
    throw new DomainError("booking_closed", "Booking is closed for this performance.");
  }
  if (row.partySize > row.available) {
    throw new DomainError("not_enough_seats", `Only ${row.available} seats are free for a party of ${row.partySize}.`, { availableSeats: row.available });
  }
  const offerExpiresAt = new Date(Math.min(now.getTime() + config.WAITLIST_OFFER_MINUTES * 60_000, listClosesAt(row).getTime()));
  const made = await makeOffer(tx, config, { ...row, id: entryId, performanceId: row.id }, placeOf(row), offerExpiresAt, now);
  if (!made) throw new DomainError("not_waiting", "Only a waiting entry can get an offer.");
  return made;
}

/** After the commit: send the offer emails at once and refresh public seat counts. */
export function deliverOffers(prisma: PrismaClient, config: AppConfig, offers: readonly OfferMade[]): void {
  if (offers.length === 0) return;
  invalidatePublicReads(prisma);
  for (const o of offers) deliverSoon(prisma, config, o.outboxId);
}

/**
 * Lock the performance, run `fn`, then offer whatever is free, all in one transaction;
 * delivers the offer emails after the commit. Every waiting-list change that can free
 * seats goes through here.
 */
export async function withSeatRelease<T>(
  prisma: PrismaClient,
  config: AppConfig,
  performanceId: string,
  now: Date,
  fn: (tx: Tx) => Promise<T>,
): Promise<{ result: T; offers: OfferMade[] }> {
  const out = await withTransaction(prisma, async (tx) => {
    await waitlistGuard.lockPerformance(tx, performanceId);
    const result = await fn(tx);
    const offers = await offerFreeSeats(tx, config, performanceId, now);
    return { result, offers };
  });
  deliverOffers(prisma, config, out.offers);
  return out;
}

/**
 * Offers that ran out: the entry becomes lapsed, the reservation expired (its hold ends),
 * a short email says so, and the seats go to the next entry, per performance in one
 * locked transaction. Safe in every process at once (conditional updates under the lock).
 */
export async function lapseExpiredOffers(prisma: PrismaClient, config: AppConfig, now = new Date()): Promise<{ lapsed: number; offered: number }> {
  // A cancelled performance's offers do not lapse: its holders were told it is cancelled,
  // and closeStartedWaitlists closes those entries quietly.
  const due = await prisma.$queryRaw<{ performanceId: string }[]>`
    SELECT DISTINCT e."performanceId"::text AS "performanceId" FROM "WaitlistEntry" e JOIN "Performance" p ON p."id" = e."performanceId"
    WHERE e."status" = 'offered' AND e."offerExpiresAt" <= ${now} AND p."status" <> 'cancelled'
    LIMIT 200`;
  let lapsed = 0;
  let offered = 0;
  for (const { performanceId } of due) {
    const { result, offers } = await withSeatRelease(prisma, config, performanceId, now, async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; reservationId: string | null; email: string; locale: string; partySize: number }[]>`
        UPDATE "WaitlistEntry" SET "status" = 'lapsed', "endedReason" = 'offer_lapsed', "endedAt" = ${now}, "updatedAt" = ${now}
        WHERE "performanceId" = ${performanceId}::uuid AND "status" = 'offered' AND "offerExpiresAt" <= ${now}
        RETURNING "id"::text AS "id", "reservationId"::text AS "reservationId", "email", "locale", "partySize"`;
      if (rows.length === 0) return 0;
      const reservationIds = rows.flatMap((r) => (r.reservationId ? [r.reservationId] : []));
      await tx.$executeRaw`
        UPDATE "Reservation" SET "status" = 'expired', "updatedAt" = ${now}
        WHERE "id" = ANY(${reservationIds}::uuid[]) AND "status" = 'pending'`;
      await tx.$executeRaw`
        UPDATE "ReservationToken" SET "usedAt" = ${now}
        WHERE "reservationId" = ANY(${reservationIds}::uuid[]) AND "purpose" = 'confirmation' AND "usedAt" IS NULL`;
      const place = await placeOfPerformance(tx, performanceId);
      for (const r of rows) {
        await enqueueEmail(
          tx,
          lapsedEmail(config, { entryId: r.id, to: r.email, locale: r.locale, partySize: r.partySize, performance: place }, r.reservationId),
        );
      }
      return rows.length;
    });
    lapsed += result;
    offered += offers.length;
  }
  return { lapsed, offered };
}

export async function placeOfPerformance(db: Tx | PrismaClient, performanceId: string): Promise<PerformancePlace> {
  const [row] = await db.$queryRaw<Parameters<typeof placeOf>[0][]>`
    SELECT ${PLACE_COLUMNS} FROM "Performance" p ${PLACE_JOINS} WHERE p."id" = ${performanceId}::uuid`;
  if (!row) throw new Error(`performance ${performanceId} vanished`);
  return placeOf(row);
}

/**
 * At the close (the start, or bookingClosesAt, or a cancellation), the list closes: pending
 * and waiting entries become closed, and the waiting ones get a "sorry, no seats came free"
 * (or "the performance is cancelled") email; open offers on a cancelled performance close
 * with no email (cancelPerformance told their holders).
 * Rows are claimed by one conditional UPDATE, so any number of processes may run it.
 */
export async function closeStartedWaitlists(prisma: PrismaClient, config: AppConfig, now = new Date()): Promise<{ closed: number; emailed: number }> {
  return withTransaction(prisma, async (tx) => {
    const rows = await tx.$queryRaw<
      ({ entryId: string; previous: string; email: string; name: string; locale: string; partySize: number; cancelled: boolean } & Parameters<
        typeof placeOf
      >[0])[]
    >`
      WITH due AS (
        SELECT e."id", e."status"::text AS "previous" FROM "WaitlistEntry" e JOIN "Performance" p ON p."id" = e."performanceId"
        WHERE (e."status" IN ('pending', 'waiting') AND (p."startsAt" <= ${now} OR p."bookingClosesAt" <= ${now} OR p."status" = 'cancelled'))
          -- An open offer on a cancelled performance: its reservation was cancelled and its
          -- holder told by cancelPerformance, so the entry closes without a second email.
          OR (e."status" = 'offered' AND p."status" = 'cancelled')
        LIMIT 500
        FOR UPDATE OF e SKIP LOCKED),
      closed AS (
        UPDATE "WaitlistEntry" e SET "status" = 'closed', "endedReason" = 'list_closed', "endedAt" = ${now}, "updatedAt" = ${now}
        FROM due WHERE e."id" = due."id"
        RETURNING e."id", e."performanceId", due."previous", e."email", e."name", e."locale", e."partySize")
      SELECT closed."id"::text AS "entryId", closed."previous", closed."email", closed."name", closed."locale", closed."partySize",
        p."status" = 'cancelled' AS "cancelled", ${PLACE_COLUMNS}
      FROM closed JOIN "Performance" p ON p."id" = closed."performanceId" ${PLACE_JOINS}`;
    let emailed = 0;
    for (const r of rows) {
      if (r.previous !== "waiting") continue;
      await enqueueEmail(
        tx,
        closedEmail(config, { entryId: r.entryId, to: r.email, name: r.name, locale: r.locale, partySize: r.partySize, performance: placeOf(r) }, r.cancelled),
      );
      emailed++;
    }
    return { closed: rows.length, emailed };
  });
}

/**
 * The one anonymisation rule for waiting-list entries, applied by the retention job and by
 * erasure on request (privacy/erasure.service.ts): name becomes "anonymised", email
 * "anonymised+<id>@invalid", phone null, anonymizedAt set (party size, status and
 * pass-over reasons stay, for statistics); their link tokens are deleted. Rows already
 * anonymised are skipped. Answers each anonymised entry with the email it had, so the
 * caller can delete the emails sent to it. The caller holds the rows' locks in `tx`.
 */
export async function anonymiseWaitlistEntries(tx: Tx, entryIds: string[], now: Date): Promise<{ id: string; email: string }[]> {
  if (entryIds.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: string; email: string }[]>`
    WITH due AS (SELECT e."id", e."email" FROM "WaitlistEntry" e WHERE e."id" = ANY(${entryIds}::uuid[]) AND e."anonymizedAt" IS NULL)
    UPDATE "WaitlistEntry" e SET "name" = ${ANONYMISED_NAME}, "email" = 'anonymised+' || e."id"::text || '@invalid', "phone" = NULL,
      "anonymizedAt" = ${now}, "updatedAt" = ${now}
    FROM due WHERE e."id" = due."id"
    RETURNING e."id"::text AS "id", due."email"`;
  if (rows.length > 0) await tx.$executeRaw`DELETE FROM "WaitlistToken" WHERE "entryId" = ANY(${rows.map((r) => r.id)}::uuid[])`;
  return rows;
}

/**
 * Retention (docs/security-notes.md) for the waiting list: RETENTION_DAYS after a
 * performance started, its entries lose name, email and phone (the party size, status and
 * pass-over reasons stay for statistics), their tokens are deleted, and the waiting-list
 * emails sent to them before the cutoff are deleted (recipient and body are personal data).
 * Idempotent; rows claimed with SKIP LOCKED, so any number of processes may run it.
 */
export async function anonymizeOldWaitlistEntries(prisma: PrismaClient, config: Pick<AppConfig, "RETENTION_DAYS">, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - config.RETENTION_DAYS * 86_400_000);
  let total = 0;
  for (;;) {
    const done = await withTransaction(prisma, async (tx) => {
      const due = await tx.$queryRaw<{ id: string }[]>`
        SELECT e."id"::text AS "id" FROM "WaitlistEntry" e JOIN "Performance" p ON p."id" = e."performanceId"
        WHERE e."anonymizedAt" IS NULL AND p."startsAt" < ${cutoff}
        LIMIT 500
        FOR UPDATE OF e SKIP LOCKED`;
      const rows = await anonymiseWaitlistEntries(
        tx,
        due.map((r) => r.id),
        now,
      );
      if (rows.length === 0) return 0;
      await tx.$executeRaw`
        DELETE FROM "EmailOutbox" WHERE "kind" LIKE 'waitlist\\_%' AND "status" <> 'pending' AND "createdAt" < ${cutoff}
          AND "toAddress" = ANY(${rows.map((r) => r.email)}::text[])`;
      return rows.length;
    });
    total += done;
    if (done < 500) return total;
  }
}
