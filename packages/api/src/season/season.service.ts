import type { Prisma, PrismaClient } from "@sipario/db";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import { pairedSelect, VENUE_TEXT } from "../i18n/translated.ts";
import { newTicket, performanceFacts, performancePlaceSelect, type PerformancePlace } from "../booking/emails.ts";
import { availableSeats, lockPerformance, NO_SEATS_TAKEN, seatsTakenByPerformance, type PerformanceLocker } from "../capacity/capacity.service.ts";
import { withTransaction, type Tx } from "../lib/transaction.ts";
import { invalidatePublicReads } from "../lib/public-read-cache.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { isUuid } from "../lib/ids.ts";
import { getLogger } from "../logger.ts";
import { deliverSoon, enqueueEmail, type EnqueueEmail, outboxMessage } from "../mail/outbox.service.ts";
import { mailLocale, renderPerformanceCancelledEmail, renderPerformanceMovedEmail } from "../mail/templates.ts";
import { calendarEvent, ticketUrl } from "../lib/ticket-assets.ts";
import { retimeTickets } from "../lib/ticket-time.ts";
import { hashToken } from "../lib/tokens.ts";
import { boxOfficeBookingSchema, type BoxOfficeBookingInput } from "./season.schema.ts";

/** Whom an email about a performance asks visitors to write to: the sender's address. */
export function contactAddress(config: Pick<AppConfig, "MAIL_FROM">): string {
  return /<([^>]+)>/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM;
}

export interface BoxOfficeBooking {
  reservationId: string;
  ticketUrl: string;
  /** Raw ticket token for the caller (the back-office links the printable ticket); never logged. */
  ticketToken: string;
  emailed: boolean;
}

/**
 * A box-office booking: a confirmed `box_office` reservation made by staff, under the same
 * performance lock and seat count as booking.confirm, so it can never overbook. It issues a
 * ticket; with an email the ticket email goes out (in `locale`), otherwise the ticket is
 * printed. Neither the on-sale window nor the per-person limit applies: the box office sells
 * at the door and to groups. Throws invalid_input (with `issues`), not_found, booking_closed
 * (cancelled or started), not_enough_seats (`availableSeats`, issue on partySize).
 */
export async function createBoxOfficeReservation(
  prisma: PrismaClient,
  config: AppConfig,
  rawInput: BoxOfficeBookingInput,
  options: { actor?: Actor; now?: Date; lock?: PerformanceLocker } = {},
): Promise<BoxOfficeBooking> {
  const parsed = boxOfficeBookingSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw new DomainError("invalid_input", "Check the highlighted fields.", {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  const input = parsed.data;
  const now = options.now ?? new Date();
  const lock = options.lock ?? lockPerformance;
  const performance = await prisma.performance.findUnique({ where: { id: input.performanceId }, select: performancePlaceSelect });
  if (!performance) throw new DomainError("not_found", "Performance not found.");

  const created = await withTransaction(prisma, async (tx) => {
    const locked = await lock(tx, input.performanceId);
    if (!locked) throw new DomainError("not_found", "Performance not found.");
    if (locked.status === "cancelled") throw new DomainError("booking_closed", "This performance has been cancelled.");
    // Confirmed seats and the seats held for waiting-list offers, as booking.confirm counts them.
    const taken = (await seatsTakenByPerformance(tx, [input.performanceId], now)).get(input.performanceId) ?? NO_SEATS_TAKEN;
    const available = availableSeats(locked, taken);
    if (input.partySize > available) {
      throw new DomainError("not_enough_seats", available === 0 ? "This performance is sold out." : `Only ${available} seats are left.`, {
        availableSeats: available,
        issues: [{ path: "partySize", message: `Only ${available} seats are left.` }],
      });
    }
    const reservation = await tx.reservation.create({
      data: {
        performanceId: input.performanceId,
        status: "confirmed",
        source: "box_office",
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        notes: input.notes ?? null,
        partySize: input.partySize,
        locale: input.locale,
        confirmedAt: now,
        qrCodeGeneratedAt: now,
      },
      select: { id: true, bookingCode: true },
    });
    const ticket = newTicket(config, {
      id: reservation.id,
      bookingCode: reservation.bookingCode,
      email: input.email ?? null,
      source: "box_office",
      locale: input.locale,
      partySize: input.partySize,
      performance,
    });
    await tx.reservationToken.create({
      data: { reservationId: reservation.id, purpose: "check_in", tokenHash: hashToken(ticket.token), expiresAt: ticket.expiresAt },
    });
    const outboxId = ticket.email ? await enqueueEmail(tx, ticket.email) : null;
    await recordAudit(tx, {
      ...actorAudit(options.actor),
      action: "reservation.box_office",
      entity: "Reservation",
      entityId: reservation.id,
      changes: { performanceId: input.performanceId, partySize: input.partySize, emailed: outboxId !== null },
    });
    return { reservationId: reservation.id, token: ticket.token, outboxId };
  });
  invalidatePublicReads(prisma);
  getLogger().info({ reservationId: created.reservationId, performanceId: input.performanceId, partySize: input.partySize }, "box-office reservation");
  if (created.outboxId) deliverSoon(prisma, config, created.outboxId);
  return {
    reservationId: created.reservationId,
    ticketUrl: ticketUrl(config.ORIGIN, created.token),
    ticketToken: created.token,
    emailed: created.outboxId !== null,
  };
}

/** A reservation that held seats when its performance was cancelled. */
export interface CancelledHolder {
  id: string;
  email: string | null;
  locale: string;
  partySize: number;
}

/**
 * Cancels every pending and confirmed reservation of a performance and returns them: one
 * conditional UPDATE, so two runs at once (a double click, a retried request) each get a
 * disjoint set and nobody is emailed twice. Injectable for the race tests' control run.
 */
export type HolderCanceller = (tx: Tx, performanceId: string, now: Date) => Promise<CancelledHolder[]>;

export const cancelHolders: HolderCanceller = (tx, performanceId, now) =>
  tx.$queryRaw<CancelledHolder[]>`
    UPDATE "Reservation" SET "status" = 'cancelled', "cancelledAt" = ${now}, "updatedAt" = ${now}
    WHERE "performanceId" = ${performanceId}::uuid AND "status" IN ('pending', 'confirmed')
    RETURNING "id"::text AS "id", "email", "locale", "partySize"`;

export interface PerformanceCancellation {
  performanceId: string;
  /** False when it was already cancelled (a retry): nothing more was done. */
  cancelledNow: boolean;
  reservationsCancelled: number;
  /** People emailed by this call (holders without an email are not counted). */
  told: number;
}

/**
 * Cancels a performance: its status becomes cancelled (bookings answer booking_closed, the
 * catalogue keeps it listed as cancelled), every pending and confirmed reservation is
 * cancelled, and each holder with an email gets one apology in their language through the
 * outbox, all in one transaction under the performance lock (no confirmation can slip in).
 * A second call changes nothing and sends nothing. Audited with the number told.
 * Throws not_found.
 */
export async function cancelPerformance(
  prisma: PrismaClient,
  config: AppConfig,
  performanceId: string,
  options: { actor?: Actor; now?: Date; lock?: PerformanceLocker; takeHolders?: HolderCanceller } = {},
): Promise<PerformanceCancellation> {
  if (!isUuid(performanceId)) throw new DomainError("not_found", "Performance not found.");
  const now = options.now ?? new Date();
  const lock = options.lock ?? lockPerformance;
  const takeHolders = options.takeHolders ?? cancelHolders;
  const place = await prisma.performance.findUnique({ where: { id: performanceId }, select: performancePlaceSelect });
  if (!place) throw new DomainError("not_found", "Performance not found.");
  const factsIn = { it: performanceFacts(place, config, "it"), en: performanceFacts(place, config, "en") };
  const contact = contactAddress(config);

  const result = await withTransaction(prisma, async (tx) => {
    const locked = await lock(tx, performanceId);
    if (!locked) throw new DomainError("not_found", "Performance not found.");
    const holders = await takeHolders(tx, performanceId, now);
    const marked = await tx.performance.updateMany({
      where: { id: performanceId, status: "scheduled" },
      data: { status: "cancelled", cancelledAt: now, isBookingEnabled: false },
    });
    if (holders.length > 0) {
      const ids = holders.map((h) => h.id);
      // Pending confirmation links must not revive a cancelled booking.
      await tx.reservationToken.updateMany({ where: { reservationId: { in: ids }, purpose: "confirmation", usedAt: null }, data: { usedAt: now } });
    }
    const emails = holders
      .filter((h): h is CancelledHolder & { email: string } => h.email !== null)
      .map((h) => {
        const rendered = renderPerformanceCancelledEmail({
          locale: mailLocale(h.locale),
          facts: factsIn[mailLocale(h.locale)],
          partySize: h.partySize,
          contact,
        });
        return {
          kind: "performance_cancelled",
          reservationId: h.id,
          toAddress: h.email,
          subject: rendered.subject.slice(0, 300),
          payload: { text: rendered.text, html: rendered.html },
        };
      });
    if (emails.length > 0) await tx.emailOutbox.createMany({ data: emails });
    if (marked.count > 0 || holders.length > 0) {
      await recordAudit(tx, {
        ...actorAudit(options.actor),
        action: "performance.cancel",
        entity: "Performance",
        entityId: performanceId,
        changes: { reservationsCancelled: holders.length, told: emails.length },
      });
    }
    return { performanceId, cancelledNow: marked.count > 0, reservationsCancelled: holders.length, told: emails.length };
  });
  invalidatePublicReads(prisma);
  getLogger().info({ ...result }, "performance cancelled");
  // Hundreds of messages: the outbox worker sends them on its next poll (OUTBOX_POLL_SECONDS).
  return result;
}

/** What cancelling this performance now would do (for the admin's confirmation): the same holders cancelHolders takes. */
export async function cancellationPreview(prisma: PrismaClient, performanceId: string): Promise<{ reservations: number; toTell: number }> {
  if (!isUuid(performanceId)) return { reservations: 0, toTell: 0 };
  const where = { performanceId, status: { in: ["pending" as const, "confirmed" as const] } };
  const [reservations, toTell] = await Promise.all([
    prisma.reservation.count({ where }),
    prisma.reservation.count({ where: { ...where, email: { not: null } } }),
  ]);
  return { reservations, toTell };
}

/** How many people a move of this performance would email (for the admin's confirmation). */
export async function holdersToTell(prisma: PrismaClient | Tx, performanceId: string): Promise<number> {
  if (!isUuid(performanceId)) return 0;
  return prisma.reservation.count({ where: { performanceId, status: "confirmed", email: { not: null } } });
}

export interface PerformanceMove {
  performanceId: string;
  moved: boolean;
  told: number;
}

/**
 * Moves a performance (a new start and/or venue) under its lock. Tickets stay the same but
 * their validity follows the new day, in the new venue's time zone; every confirmed holder
 * with an email is told the new date, time and place, with an .ics of the same UID as
 * their ticket's so calendars update instead of duplicating. Audited. Throws not_found,
 * invalid_input (bad date, unknown venue), booking_closed (cancelled).
 */
export async function movePerformance(
  prisma: PrismaClient,
  config: AppConfig,
  performanceId: string,
  change: { startsAt?: Date; venueId?: string },
  options: { actor?: Actor } = {},
): Promise<PerformanceMove> {
  if (!isUuid(performanceId)) throw new DomainError("not_found", "Performance not found.");
  if (change.startsAt !== undefined && Number.isNaN(change.startsAt.getTime())) throw new DomainError("invalid_input", "startsAt must be a valid date.");
  if (change.venueId !== undefined && !isUuid(change.venueId)) throw new DomainError("invalid_input", "Unknown venue.");
  const before = await prisma.performance.findUnique({ where: { id: performanceId }, select: performancePlaceSelect });
  if (!before) throw new DomainError("not_found", "Performance not found.");
  const startsAt = change.startsAt ?? before.startsAt;
  const venueId = change.venueId;
  const venue = venueId
    ? await prisma.venue.findUnique({ where: { id: venueId }, select: { id: true, address: true, city: true, timeZone: true, ...pairedSelect(VENUE_TEXT) } })
    : null;
  if (venueId && !venue) throw new DomainError("invalid_input", "Unknown venue.");
  const after: PerformancePlace = { ...before, startsAt, venue: venue ?? before.venue };
  const moved = startsAt.getTime() !== before.startsAt.getTime() || (venue !== null && venue.id !== (await venueIdOf(prisma, performanceId)));
  const previousFacts = { it: performanceFacts(before, config, "it"), en: performanceFacts(before, config, "en") };
  const newFacts = { it: performanceFacts(after, config, "it"), en: performanceFacts(after, config, "en") };
  const contact = contactAddress(config);

  const told = await withTransaction(prisma, async (tx) => {
    const locked = await lockPerformance(tx, performanceId);
    if (!locked) throw new DomainError("not_found", "Performance not found.");
    if (locked.status === "cancelled") throw new DomainError("booking_closed", "This performance has been cancelled.");
    await tx.performance.update({ where: { id: performanceId }, data: { startsAt, ...(venue ? { venueId: venue.id } : {}) } });
    if (!moved) return 0;
    await retimeTickets(tx, performanceId, after, config);
    const holders = await tx.reservation.findMany({
      where: { performanceId, status: "confirmed", email: { not: null } },
      select: { id: true, bookingCode: true, email: true, locale: true, partySize: true },
    });
    const emails: EnqueueEmail[] = holders.map((h) => {
      const locale = mailLocale(h.locale);
      const rendered = renderPerformanceMovedEmail({ locale, facts: newFacts[locale], previous: previousFacts[locale], partySize: h.partySize, contact });
      const ics = calendarEvent({
        // The booking code, as in the ticket email's .ics: calendars move that event.
        uid: h.bookingCode,
        showTitle: newFacts[locale].showTitle,
        startsAt,
        durationMinutes: newFacts[locale].durationMinutes,
        venueName: newFacts[locale].venueName,
        venueAddress: after.venue.address,
        venueCity: after.venue.city,
        url: config.ORIGIN,
      });
      return outboxMessage("performance_moved", h.email!, rendered, h.id, {
        attachments: [{ filename: "performance.ics", contentType: "text/calendar; charset=utf-8", content: Buffer.from(ics, "utf8").toString("base64") }],
      });
    });
    if (emails.length > 0) {
      await tx.emailOutbox.createMany({
        data: emails.map((e) => ({
          kind: e.kind,
          reservationId: e.reservationId ?? null,
          toAddress: e.to,
          subject: e.subject.slice(0, 300),
          payload: e.payload as unknown as Prisma.InputJsonValue,
        })),
      });
    }
    await recordAudit(tx, {
      ...actorAudit(options.actor),
      action: "performance.move",
      entity: "Performance",
      entityId: performanceId,
      changes: { from: { startsAt: before.startsAt, venue: before.venue.name }, to: { startsAt, venue: after.venue.name }, told: emails.length },
    });
    return emails.length;
  });
  invalidatePublicReads(prisma);
  getLogger().info({ performanceId, told }, "performance moved");
  return { performanceId, moved, told };
}

async function venueIdOf(prisma: PrismaClient, performanceId: string): Promise<string | null> {
  const p = await prisma.performance.findUnique({ where: { id: performanceId }, select: { venueId: true } });
  return p?.venueId ?? null;
}
