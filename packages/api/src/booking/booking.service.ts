import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "@sipario/db";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import { availableSeatsSql, lockPerformance, type PerformanceLocker } from "../capacity/capacity.service.ts";
import { isUuid } from "../lib/ids.ts";
import { withTransaction } from "../lib/transaction.ts";
import type { AppConfig } from "../config.ts";
import { type ContentLocale, localize } from "../i18n/translated.ts";
import { DomainError } from "../errors.ts";
import { getLogger } from "../logger.ts";
import { deliverSoon, insertOutboxSql } from "../mail/outbox.service.ts";
import { ticketUrl } from "../lib/ticket-assets.ts";
import { generateToken, hashToken, insertReservationTokenSql } from "../lib/tokens.ts";
import type { CreateBookingInput } from "./booking.schema.ts";

/** The validated booking.create input (phone/notes optional for other callers). */
export type CreateReservationInput = Omit<CreateBookingInput, "phone" | "notes"> & { phone?: string; notes?: string };
import { confirmationEmail, newTicket, performancePlaceSelect, type TicketReservation } from "./emails.ts";
import { invalidatePublicReads } from "../lib/public-read-cache.ts";
import { assertBookingOpen, bookingWindowSelect } from "./booking-window.ts";
import { assertWithinPerPersonLimit } from "./per-person-limit.ts";

const HOUR = 3_600_000;

/** A confirmation link lives TTL hours, and never past the start of the performance. */
export function confirmationExpiry(config: AppConfig, startsAt: Date, now: Date): Date {
  return new Date(Math.min(now.getTime() + config.CONFIRMATION_TOKEN_TTL_HOURS * HOUR, startsAt.getTime()));
}

/**
 * Creates a pending reservation with a fresh confirmation token and queues the
 * confirmation email in the same statement. Pending reservations hold no seats; the
 * availability check here only turns away requests that cannot fit now.
 * Throws DomainError invalid_input (party over MAX_PARTY_SIZE), not_found (missing or
 * unpublished), booking_not_open_yet, booking_closed (disabled, closed, started or
 * cancelled), limit_per_person (MAX_SEATS_PER_EMAIL), not_enough_seats.
 * The raw token is returned for the caller's own use (tests, seeding); never send it
 * to a client other than by email.
 */
export async function createReservation(prisma: PrismaClient, config: AppConfig, input: CreateReservationInput, now = new Date()) {
  if (input.partySize > config.MAX_PARTY_SIZE) {
    throw new DomainError("invalid_input", `At most ${config.MAX_PARTY_SIZE} seats per booking.`, {
      issues: [{ path: "partySize", message: `At most ${config.MAX_PARTY_SIZE}` }],
    });
  }
  // Two statements after the rate limit (issue 12: the on-sale create path): this read,
  // and one write that re-counts the seats and the email's seats and inserts the
  // reservation, its confirmation token and its email only if the party still fits.
  const performance = await prisma.performance.findUnique({
    where: { id: input.performanceId },
    select: { ...performancePlaceSelect, ...bookingWindowSelect, show: { select: { ...performancePlaceSelect.show.select, isPublished: true } } },
  });
  if (!performance || !performance.show.isPublished) throw new DomainError("not_found", "Performance not found.");
  assertBookingOpen(performance, now);

  const reservationId = randomUUID();
  const token = generateToken();
  const locale = input.locale ?? "it";
  const expiresAt = confirmationExpiry(config, performance.startsAt, now);
  const email = confirmationEmail(config, { reservationId, to: input.email, locale, partySize: input.partySize, performance, token, expiresAt });
  const [row] = await prisma.$queryRaw<{ availableSeats: number; personSeats: number; outboxId: string | null }[]>`
    WITH state AS (
      SELECT ${availableSeatsSql(now)} AS "availableSeats",
        (SELECT COALESCE(SUM(r."partySize"), 0)::int FROM "Reservation" r
          WHERE r."performanceId" = p."id" AND r."status" = 'confirmed' AND r."email" = ${input.email}) AS "personSeats"
      FROM "Performance" p WHERE p."id" = ${performance.id}::uuid),
    fits AS (
      SELECT 1 FROM state
      WHERE "personSeats" + ${input.partySize}::int <= ${config.MAX_SEATS_PER_EMAIL}::int AND ${input.partySize}::int <= "availableSeats"),
    res AS (
      INSERT INTO "Reservation" ("id", "performanceId", "status", "name", "email", "phone", "partySize", "notes", "locale", "createdAt", "updatedAt")
      SELECT ${reservationId}::uuid, ${performance.id}::uuid, 'pending', ${input.name}, ${input.email}, ${input.phone ?? null}, ${input.partySize}::int,
        ${input.notes ?? null}, ${locale}, ${now}, ${now}
      FROM fits
      RETURNING "id"),
    tok AS (${insertReservationTokenSql("confirmation", token, expiresAt, Prisma.raw("res"), now)}),
    mail AS (${insertOutboxSql(email, Prisma.raw("res"), now)})
    SELECT state.*, (SELECT "id"::text FROM mail) AS "outboxId" FROM state`;
  if (!row) throw new DomainError("not_found", "Performance not found.");
  if (!row.outboxId) {
    assertWithinPerPersonLimit(config.MAX_SEATS_PER_EMAIL, row.personSeats, input.partySize);
    const available = row.availableSeats;
    throw new DomainError(
      "not_enough_seats",
      available === 0 ? "This performance is sold out." : `Only ${available} ${available === 1 ? "seat is" : "seats are"} left.`,
      {
        availableSeats: available,
      },
    );
  }
  getLogger().info({ reservationId, performanceId: performance.id, partySize: input.partySize }, "reservation created");
  deliverSoon(prisma, config, row.outboxId);
  return {
    reservationId,
    status: "pending" as const,
    performanceId: performance.id,
    partySize: input.partySize,
    expiresAt,
    confirmationToken: token,
  };
}

/**
 * Marks a pending reservation expired when it has no live confirmation token left (lazy
 * expiry on access). Returns true when it changed.
 */
export async function expireIfStale(prisma: PrismaClient, reservationId: string, now = new Date()): Promise<boolean> {
  const changed = await prisma.$executeRaw`
    UPDATE "Reservation" r SET "status" = 'expired', "updatedAt" = ${now}
    WHERE r."id" = ${reservationId}::uuid AND r."status" = 'pending'
      AND NOT EXISTS (SELECT 1 FROM "ReservationToken" t WHERE t."reservationId" = r."id"
        AND t."purpose" = 'confirmation' AND t."usedAt" IS NULL AND t."expiresAt" > ${now})`;
  return changed > 0;
}

/**
 * The periodic sweep: every pending reservation without a live confirmation token
 * becomes expired. Waiting-list offers are left to lapseExpiredOffers, which also passes
 * their seats on. Idempotent; returns how many changed.
 */
export async function expireStaleReservations(prisma: PrismaClient, now = new Date()): Promise<number> {
  return prisma.$executeRaw`
    UPDATE "Reservation" r SET "status" = 'expired', "updatedAt" = ${now}
    WHERE r."status" = 'pending' AND r."offerExpiresAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "ReservationToken" t WHERE t."reservationId" = r."id"
        AND t."purpose" = 'confirmation' AND t."usedAt" IS NULL AND t."expiresAt" > ${now})`;
}

export interface ConfirmResult {
  reservationId: string;
  status: "confirmed";
  partySize: number;
  ticketUrl: string;
  /** Raw ticket token, for the caller's own use; it reaches the visitor by email/page. */
  ticketToken: string;
}

/**
 * A reservation about to be confirmed: what its ticket email needs, plus the seats free
 * when it was read (unlocked). Read in one statement, with its confirmation token when
 * the visitor confirms from the email.
 */
export interface ConfirmCandidate extends TicketReservation {
  status: string;
  available: number;
}

// The seats free for this reservation (an offer's own hold counts as free for it): an
// unlocked read, a courtesy check, never the decision.
const candidateColumns = (now: Date) => Prisma.sql`r."id"::text AS "id", r."bookingCode", r."status"::text AS "status", r."email", r."locale", r."partySize",
  ${availableSeatsSql(now, Prisma.sql`r."id"`)} AS "available", p."id"::text AS "performanceId", p."startsAt", s."title" AS "showTitle",
  s."titleEn" AS "showTitleEn", s."runningTimeMinutes", v."name" AS "venueName", v."nameEn" AS "venueNameEn", v."address" AS "venueAddress",
  v."city" AS "venueCity", v."timeZone" AS "venueTimeZone", v."notes" AS "venueNotes", v."notesEn" AS "venueNotesEn",
  v."accessInfo" AS "venueAccessInfo", v."accessInfoEn" AS "venueAccessInfoEn"`;
const CANDIDATE_JOINS = Prisma.sql`JOIN "Performance" p ON p."id" = r."performanceId"
  JOIN "Show" s ON s."id" = p."showId" JOIN "Venue" v ON v."id" = p."venueId"`;

/** A row of CANDIDATE_COLUMNS: the candidate, with its performance flattened. */
type CandidateRow = Omit<ConfirmCandidate, "performance"> & {
  performanceId: string;
  startsAt: Date;
  showTitle: string;
  showTitleEn: string;
  runningTimeMinutes: number | null;
  venueName: string;
  venueNameEn: string;
  venueAddress: string;
  venueCity: string;
  venueTimeZone: string;
  venueNotes: string;
  venueNotesEn: string;
  venueAccessInfo: string;
  venueAccessInfoEn: string;
};

function toCandidate(row: CandidateRow): ConfirmCandidate {
  return {
    id: row.id,
    bookingCode: row.bookingCode,
    status: row.status,
    email: row.email,
    locale: row.locale,
    partySize: row.partySize,
    available: Math.max(0, row.available),
    performance: {
      id: row.performanceId,
      startsAt: row.startsAt,
      show: { title: row.showTitle, titleEn: row.showTitleEn, runningTimeMinutes: row.runningTimeMinutes },
      venue: {
        name: row.venueName,
        nameEn: row.venueNameEn,
        address: row.venueAddress,
        city: row.venueCity,
        timeZone: row.venueTimeZone,
        notes: row.venueNotes,
        notesEn: row.venueNotesEn,
        accessInfo: row.venueAccessInfo,
        accessInfoEn: row.venueAccessInfoEn,
      },
    },
  };
}

async function readCandidate(prisma: PrismaClient, reservationId: string, now: Date): Promise<ConfirmCandidate> {
  if (!isUuid(reservationId)) throw new DomainError("not_found", "Reservation not found.");
  const [row] = await prisma.$queryRaw<CandidateRow[]>`
    SELECT ${candidateColumns(now)} FROM "Reservation" r ${CANDIDATE_JOINS} WHERE r."id" = ${reservationId}::uuid`;
  if (!row) throw new DomainError("not_found", "Reservation not found.");
  return toCandidate(row);
}

function notEnoughSeats(available: number): DomainError {
  return new DomainError(
    "not_enough_seats",
    available === 0 ? "Sorry: the performance filled up before you confirmed." : `Sorry: only ${available} ${available === 1 ? "seat is" : "seats are"} left.`,
    { availableSeats: available },
  );
}

function tokenUsed(): DomainError {
  return new DomainError("token_used", "This confirmation link has already been used.");
}

function notPending(status: string | null): DomainError {
  return new DomainError("reservation_not_pending", "This reservation is no longer waiting for confirmation.", { status });
}

/**
 * The anti-overbooking point. One transaction: lock the performance row (FOR UPDATE),
 * then one statement recounts the confirmed seats and, only if the party still fits,
 * the token is unused and the reservation still pending, consumes the confirmation
 * token, confirms, creates the check_in token and queues the ticket email in the outbox.
 * Invariant: confirmed seats + manual seats <= room + additional, whatever the
 * concurrency. Throws not_enough_seats, reservation_not_pending, token_used (for
 * `confirmationTokenId`), not_found.
 */
export async function confirmReservationById(
  prisma: PrismaClient,
  config: AppConfig,
  reservationId: string,
  options: {
    confirmationTokenId?: string;
    allowExpired?: boolean;
    now?: Date;
    /** The reservation as the caller has just read it (saves reading it again). */
    candidate?: ConfirmCandidate;
    /**
     * Confirmed seats one email may hold at this performance (MAX_SEATS_PER_EMAIL),
     * rechecked under the lock; null when staff confirm on someone's behalf.
     */
    perPersonLimit?: number | null;
    /** The capacity lock; only the race tests' control run passes another (testing/unsafe-capacity.ts). */
    lock?: PerformanceLocker;
  } = {},
): Promise<ConfirmResult> {
  const now = options.now ?? new Date();
  const reservation = options.candidate ?? (await readCandidate(prisma, reservationId, now));
  const performance = reservation.performance;
  // In a sell-out most confirmations lose. Turn a party that cannot fit away on the
  // unlocked read, before a ticket is made and the lock queued for: seats only free up
  // through cancellations, so this merely answers a moment earlier. The recount under the
  // lock below stays the one that decides. Other states keep their precise errors there.
  // The race tests' lock-off control run skips it too: it is part of the capacity guard.
  const lock = options.lock ?? lockPerformance;
  if (reservation.status === "pending" && lock === lockPerformance && reservation.partySize > reservation.available) {
    throw notEnoughSeats(reservation.available);
  }
  const { token, email, expiresAt: tokenExpiresAt } = newTicket(config, reservation);
  // Only box-office reservations lack an email, and they are confirmed when they are made.
  if (!email) throw notPending(reservation.status);

  const allowExpired = options.allowExpired === true;
  const perPersonLimit = options.perPersonLimit ?? null;
  const tokenId = options.confirmationTokenId ?? null;
  const consume = tokenId
    ? Prisma.sql`UPDATE "ReservationToken" SET "usedAt" = ${now}
        WHERE "id" = ${tokenId}::uuid AND "usedAt" IS NULL AND EXISTS (SELECT 1 FROM fits) RETURNING "id"`
    : Prisma.sql`UPDATE "ReservationToken" SET "usedAt" = ${now}
        WHERE "reservationId" = ${reservationId}::uuid AND "purpose" = 'confirmation' AND "usedAt" IS NULL AND EXISTS (SELECT 1 FROM fits) RETURNING "id"`;

  // The lock is the throughput limit of a busy performance: it is held for two round
  // trips, the one statement below and the commit.
  const written = await withTransaction(prisma, async (tx) => {
    const locked = await lock(tx, performance.id);
    if (!locked) throw new DomainError("not_found", "Performance not found.");
    if (locked.status === "cancelled") throw new DomainError("booking_closed", "This performance has been cancelled.");
    // A new statement after the lock: in READ COMMITTED its snapshot holds every
    // confirmation that committed while this one waited. The writes are conditional on
    // `fits` (and on each other), so a refusal writes nothing.
    const [row] = await tx.$queryRaw<
      {
        availableSeats: number;
        personSeats: number;
        status: string | null;
        tokenUsed: boolean | null;
        confirmed: number;
        outboxId: string | null;
      }[]
    >`
      WITH state AS (
        SELECT
          (SELECT ${availableSeatsSql(now, Prisma.sql`${reservationId}::uuid`)} FROM "Performance" p WHERE p."id" = ${performance.id}::uuid) AS "availableSeats",
          (SELECT "status"::text FROM "Reservation" WHERE "id" = ${reservationId}::uuid) AS "status",
          (SELECT "usedAt" IS NOT NULL FROM "ReservationToken" WHERE "id" = ${tokenId}::uuid) AS "tokenUsed",
          (SELECT COALESCE(SUM("partySize"), 0)::int FROM "Reservation"
            WHERE "performanceId" = ${performance.id}::uuid AND "status" = 'confirmed' AND "email" = ${reservation.email}) AS "personSeats"),
      fits AS (
        SELECT 1 FROM state
        WHERE (${tokenId}::uuid IS NULL OR "tokenUsed" = false)
          AND ("status" = 'pending' OR (${allowExpired}::boolean AND "status" = 'expired'))
          AND ${reservation.partySize}::int <= "availableSeats"
          AND (${perPersonLimit}::int IS NULL OR "personSeats" + ${reservation.partySize}::int <= ${perPersonLimit}::int)),
      tok AS (${consume}),
      res AS (
        UPDATE "Reservation" SET "status" = 'confirmed', "confirmedAt" = ${now}, "qrCodeGeneratedAt" = ${now}, "offerExpiresAt" = NULL, "updatedAt" = ${now}
        WHERE "id" = ${reservationId}::uuid
          AND ("status" = 'pending' OR (${allowExpired}::boolean AND "status" = 'expired'))
          AND EXISTS (SELECT 1 FROM fits)
          AND (${tokenId}::uuid IS NULL OR EXISTS (SELECT 1 FROM tok))
        RETURNING "id"),
      -- A confirmed waiting-list offer books its entry, in the same statement.
      entry AS (
        UPDATE "WaitlistEntry" SET "status" = 'booked', "updatedAt" = ${now}
        WHERE "reservationId" IN (SELECT "id" FROM res) AND "status" IN ('offered', 'lapsed')
        RETURNING "id"),
      -- PostgreSQL runs every data-modifying CTE whether or not the final SELECT reads it.
      ticket AS (${insertReservationTokenSql("check_in", token, tokenExpiresAt, Prisma.raw("res"), now)}),
      mail AS (${insertOutboxSql(email, Prisma.raw("res"), now)})
      SELECT state.*, (SELECT COUNT(*) FROM res)::int AS "confirmed", (SELECT "id"::text FROM mail) AS "outboxId"
      FROM state`;
    return row;
  });
  const row = written;
  if (row?.confirmed !== 1 || !row.outboxId) {
    // Nothing was written: say why, in the order a visitor can act on.
    if (tokenId && row?.tokenUsed !== false) throw tokenUsed();
    if (!row?.status || !(row.status === "pending" || (allowExpired && row.status === "expired"))) throw notPending(row?.status ?? null);
    if (reservation.partySize > row.availableSeats) throw notEnoughSeats(row.availableSeats);
    if (perPersonLimit !== null) assertWithinPerPersonLimit(perPersonLimit, row.personSeats, reservation.partySize);
    // Fitted, pending and unused a moment ago, yet not written: a concurrent confirmation.
    throw tokenId ? tokenUsed() : notPending(row.status);
  }
  invalidatePublicReads(prisma);
  getLogger().info({ reservationId, performanceId: performance.id, partySize: reservation.partySize }, "reservation confirmed");
  deliverSoon(prisma, config, row.outboxId);
  return { reservationId, status: "confirmed", partySize: reservation.partySize, ticketUrl: ticketUrl(config.ORIGIN, token), ticketToken: token };
}

/**
 * Confirms a pending (or expired) reservation on the visitor's behalf, under the same
 * performance lock and capacity rule as booking.confirm, and queues the ticket email.
 * Throws not_found, reservation_not_pending, not_enough_seats.
 */
export async function adminConfirmReservation(
  prisma: PrismaClient,
  config: AppConfig,
  reservationId: string,
  options: { actor?: Actor } = {},
): Promise<ConfirmResult> {
  if (!isUuid(reservationId)) throw new DomainError("not_found", "Reservation not found.");
  const result = await confirmReservationById(prisma, config, reservationId, { allowExpired: true });
  if (options.actor) await recordAudit(prisma, { ...actorAudit(options.actor), action: "reservation.confirm", entity: "Reservation", entityId: reservationId });
  return result;
}

/**
 * booking.confirm: resolves the raw confirmation token, then confirms under the lock.
 * Throws unknown_token, token_used, token_expired (the reservation then becomes
 * expired), reservation_not_pending, not_enough_seats. A failure changes nothing else.
 */
export async function confirmReservation(
  prisma: PrismaClient,
  config: AppConfig,
  rawToken: string,
  now = new Date(),
  options: { lock?: PerformanceLocker } = {},
): Promise<ConfirmResult> {
  // One statement reads the token, its reservation, what the ticket email needs and the
  // seats still free: when sales open, most confirmations are turned away right after it
  // (not_enough_seats). The locked recount in confirmReservationById still decides.
  const [link] = await prisma.$queryRaw<(CandidateRow & { tokenId: string; purpose: string; usedAt: Date | null; expiresAt: Date })[]>`
    SELECT t."id"::text AS "tokenId", t."purpose"::text AS "purpose", t."usedAt", t."expiresAt", ${candidateColumns(now)}
    FROM "ReservationToken" t
    JOIN "Reservation" r ON r."id" = t."reservationId"
    ${CANDIDATE_JOINS}
    WHERE t."tokenHash" = ${hashToken(rawToken)}`;
  if (!link || link.purpose !== "confirmation") throw new DomainError("unknown_token", "This confirmation link is not valid.");
  if (link.usedAt) throw tokenUsed();
  // The link's row carries its reservation's columns (candidateColumns): `id` is the reservation's.
  const reservation = toCandidate(link);
  if (link.expiresAt.getTime() <= now.getTime()) {
    await expireIfStale(prisma, reservation.id, now);
    throw new DomainError("token_expired", "This confirmation link has expired. Please book again.");
  }
  // Confirmed means this link (or an admin on its behalf) was already used: say so.
  if (reservation.status === "confirmed") throw tokenUsed();
  if (reservation.status !== "pending") throw notPending(reservation.status);
  return confirmReservationById(prisma, config, reservation.id, {
    confirmationTokenId: link.tokenId,
    now,
    candidate: reservation,
    perPersonLimit: config.MAX_SEATS_PER_EMAIL,
    ...options,
  });
}

/**
 * What the /confirm/<token> page shows before the visitor presses Confirm: the
 * performance, the party size and whether the link can still be used. No personal data;
 * changes nothing (mail scanners pre-open links). Throws unknown_token.
 */
export async function describeConfirmation(prisma: PrismaClient, rawToken: string, now = new Date(), locale: ContentLocale = "it") {
  const token = await prisma.reservationToken.findUnique({
    where: { tokenHash: hashToken(rawToken) },
    select: {
      purpose: true,
      usedAt: true,
      expiresAt: true,
      reservation: {
        select: {
          id: true,
          status: true,
          partySize: true,
          performance: {
            select: {
              id: true,
              startsAt: true,
              show: { select: { title: true, titleEn: true, slug: true } },
              venue: { select: { name: true, nameEn: true, address: true, city: true, timeZone: true } },
            },
          },
        },
      },
    },
  });
  if (!token || token.purpose !== "confirmation") throw new DomainError("unknown_token", "This confirmation link is not valid.");
  const expired = token.expiresAt.getTime() <= now.getTime();
  const r = token.reservation;
  const state = token.usedAt
    ? ("used" as const)
    : r.status !== "pending" && r.status !== "expired"
      ? ("not_pending" as const)
      : expired || r.status === "expired"
        ? ("expired" as const)
        : ("valid" as const);
  return {
    state,
    canConfirm: state === "valid",
    reservationId: r.id,
    reservationStatus: expired && r.status === "pending" ? ("expired" as const) : r.status,
    partySize: r.partySize,
    expiresAt: token.expiresAt.toISOString(),
    performanceId: r.performance.id,
    startsAt: r.performance.startsAt.toISOString(),
    show: { slug: r.performance.show.slug, ...localize(r.performance.show, ["title"], locale) },
    venue: {
      address: r.performance.venue.address,
      city: r.performance.venue.city,
      timeZone: r.performance.venue.timeZone,
      ...localize(r.performance.venue, ["name"], locale),
    },
  };
}
