import type { PrismaClient } from "@sipario/db";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import { newTicket, performancePlaceSelect } from "../booking/emails.ts";
import { configuredSeats, lockPerformance, NO_SEATS_TAKEN, seatsTakenByPerformance, type PerformanceLocker } from "../capacity/capacity.service.ts";
import { withTransaction } from "../lib/transaction.ts";
import { invalidatePublicReads } from "../lib/public-read-cache.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { isUuid } from "../lib/ids.ts";
import { getLogger } from "../logger.ts";
import { deliverSoon, enqueueEmail } from "../mail/outbox.service.ts";
import { hashToken } from "../lib/tokens.ts";
import { deliverOffers, offerFreeSeats, type OfferMade } from "../waitlist/offers.ts";
import { reservationChangeSchema, type ReservationChange } from "./season.schema.ts";

export interface ReservationChanged {
  reservationId: string;
  performanceId: string;
  partySize: number;
  changed: boolean;
  /** The ticket email went out again (the reservation has an email and something changed). */
  emailed: boolean;
}

/**
 * Changes a confirmed reservation: its party size, or a move to another performance of the
 * same show, or both (the box office, on a visitor's call). Under the same locks and seat
 * count as booking.confirm: the performances involved are locked in id order (no deadlock
 * with another change going the other way), then the reservation; the party must fit in
 * the target's free seats plus the seats it already holds there. Seats it frees are offered
 * to the waiting list in the same transaction. With an email, a fresh ticket is emailed
 * (the old link stops working); without one, the printed ticket stays valid and follows the
 * performance. The per-person limit does not apply (box office). Audited.
 * Throws invalid_input, not_found, reservation_not_confirmed, already_checked_in,
 * booking_closed (target cancelled or started), not_enough_seats (`availableSeats`).
 */
export async function changeReservation(
  prisma: PrismaClient,
  config: AppConfig,
  reservationId: string,
  rawChange: ReservationChange,
  options: { actor?: Actor; now?: Date; lock?: PerformanceLocker } = {},
): Promise<ReservationChanged> {
  if (!isUuid(reservationId)) throw new DomainError("not_found", "Reservation not found.");
  const parsed = reservationChangeSchema.safeParse(rawChange);
  if (!parsed.success) {
    throw new DomainError("invalid_input", parsed.error.issues[0]?.message ?? "Check the highlighted fields.", {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  const change = parsed.data;
  const now = options.now ?? new Date();
  const lock = options.lock ?? lockPerformance;
  const current = await prisma.reservation.findUnique({
    where: { id: reservationId },
    select: { performanceId: true, performance: { select: { showId: true } } },
  });
  if (!current) throw new DomainError("not_found", "Reservation not found.");
  const targetId = change.performanceId ?? current.performanceId;
  const moving = targetId !== current.performanceId;
  if (moving) {
    const target = await prisma.performance.findUnique({ where: { id: targetId }, select: { showId: true } });
    if (!target) throw new DomainError("not_found", "Performance not found.", { field: "performanceId" });
    if (target.showId !== current.performance.showId) {
      throw new DomainError("invalid_input", "A reservation can only move to another performance of the same show.", { field: "performanceId" });
    }
  }

  const out = await withTransaction(prisma, async (tx) => {
    for (const id of [...new Set([current.performanceId, targetId])].sort()) {
      if (!(await lock(tx, id))) throw new DomainError("not_found", "Performance not found.");
    }
    const [row] = await tx.$queryRaw<{ status: string; performanceId: string; partySize: number }[]>`
      SELECT "status"::text AS "status", "performanceId"::text AS "performanceId", "partySize" FROM "Reservation"
      WHERE "id" = ${reservationId}::uuid FOR UPDATE`;
    if (!row) throw new DomainError("not_found", "Reservation not found.");
    if (row.status !== "confirmed")
      throw new DomainError("reservation_not_confirmed", `This reservation is ${row.status}: only a confirmed one can be changed.`, { status: row.status });
    // Moved by someone else since the first read: the locks taken are not the right ones.
    if (row.performanceId !== current.performanceId)
      throw new DomainError("reservation_not_confirmed", "This reservation changed meanwhile. Reload and try again.");
    const checkIn = await tx.checkIn.findUnique({ where: { reservationId }, select: { checkedInAt: true } });
    if (checkIn)
      throw new DomainError("already_checked_in", "This party has already been checked in; it cannot be changed.", {
        checkedInAt: checkIn.checkedInAt.toISOString(),
      });

    const partySize = change.partySize ?? row.partySize;
    if (!moving && partySize === row.partySize) return { changed: false, partySize, outboxId: null, offers: [] as OfferMade[] };

    const target = await tx.performance.findUniqueOrThrow({
      where: { id: targetId },
      select: { ...performancePlaceSelect, status: true, roomCapacity: true, additionalSeats: true, manuallyOccupiedSeats: true },
    });
    if (target.status === "cancelled") throw new DomainError("booking_closed", "That performance has been cancelled.", { field: "performanceId" });
    if (moving && target.startsAt.getTime() <= now.getTime())
      throw new DomainError("booking_closed", "That performance has already started.", { field: "performanceId" });
    const taken = (await seatsTakenByPerformance(tx, [targetId], now)).get(targetId) ?? NO_SEATS_TAKEN;
    // The seats this party already holds at the target are its own to keep.
    const free = Math.max(0, configuredSeats(target) - taken.confirmedSeats - taken.heldOfferSeats) + (moving ? 0 : row.partySize);
    if (partySize > free) {
      throw new DomainError("not_enough_seats", free === 0 ? "That performance is sold out." : `Only ${free} seats are free for this party.`, {
        availableSeats: free,
        field: "partySize",
        issues: [{ path: "partySize", message: `Only ${free} seats are free for this party.` }],
      });
    }

    const updated = await tx.reservation.update({
      where: { id: reservationId },
      data: { partySize, performanceId: targetId },
      select: { id: true, bookingCode: true, email: true, locale: true, source: true, partySize: true },
    });
    const ticket = newTicket(config, { ...updated, performance: target });
    let outboxId: string | null = null;
    if (ticket.email) {
      // A fresh ticket with the new party or date; the old link stops working.
      await tx.reservationToken.deleteMany({ where: { reservationId, purpose: "check_in" } });
      await tx.reservationToken.create({ data: { reservationId, purpose: "check_in", tokenHash: hashToken(ticket.token), expiresAt: ticket.expiresAt } });
      await tx.reservation.update({ where: { id: reservationId }, data: { qrCodeGeneratedAt: now } });
      outboxId = await enqueueEmail(tx, ticket.email);
    } else {
      // The printed ticket stays valid, for the new day.
      await tx.reservationToken.updateMany({ where: { reservationId, purpose: "check_in" }, data: { expiresAt: ticket.expiresAt } });
    }
    await recordAudit(tx, {
      ...actorAudit(options.actor),
      action: "reservation.change",
      entity: "Reservation",
      entityId: reservationId,
      changes: { from: { performanceId: row.performanceId, partySize: row.partySize }, to: { performanceId: targetId, partySize }, emailed: outboxId !== null },
    });
    // Seats freed at the performance it left, or by a smaller party, go to the waiting list first.
    const freedAt = moving ? row.performanceId : partySize < row.partySize ? targetId : null;
    const offers = freedAt ? await offerFreeSeats(tx, config, freedAt, now) : [];
    return { changed: true, partySize, outboxId, offers };
  });
  if (out.changed) invalidatePublicReads(prisma);
  deliverOffers(prisma, config, out.offers);
  if (out.outboxId) deliverSoon(prisma, config, out.outboxId);
  getLogger().info({ reservationId, performanceId: targetId, partySize: out.partySize, changed: out.changed }, "reservation changed");
  return { reservationId, performanceId: targetId, partySize: out.partySize, changed: out.changed, emailed: out.outboxId !== null };
}
