import type { PrismaClient } from "@sipario/db";
import { withTransaction, type Tx } from "../capacity/transaction.ts";
import { getConfig, type AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { getLogger } from "../logger.ts";
import { deliverSoon, enqueueEmail } from "../mail/outbox.service.ts";
import { ticketUrl } from "../tickets/ticket-assets.ts";
import { generateToken, hashToken } from "../tickets/tokens.ts";
import { confirmationExpiry, confirmReservationById, type ConfirmResult } from "./booking.service.ts";
import { confirmationEmail, newTicket, reservationForEmail } from "./emails.ts";
import { isUuid } from "../lib/ids.ts";
import { invalidatePublicReads } from "../catalogue/public-read-cache.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { selfCancelEmail } from "../season/season.service.ts";
import { withSeatRelease } from "../waitlist/offers.ts";

/** Who did it, for the audit log (a back-office user, a script...). */
export interface Actor {
  userId?: string | null;
  label?: string;
}

function assertId(id: string): void {
  if (!isUuid(id)) throw new DomainError("not_found", "Reservation not found.");
}

/**
 * Cancels a pending or confirmed reservation; its seats are available again at once, and
 * offered first to the waiting list, in the same transaction (offers.ts), so no direct
 * booking can take them in between. Lock order: the performance, then the reservation
 * (the order confirmations use). A withdrawn waiting-list offer ends its entry.
 * Throws not_found, already_checked_in, reservation_not_confirmed (already cancelled or
 * expired).
 */
export async function cancelReservation(
  prisma: PrismaClient,
  reservationId: string,
  options: {
    actor?: Actor;
    now?: Date;
    config?: AppConfig;
    /** The visitor cancelled: email them that it is done (in the same transaction). */
    notifyHolder?: AppConfig;
  } = {},
) {
  assertId(reservationId);
  const now = options.now ?? new Date();
  const target = await prisma.reservation.findUnique({ where: { id: reservationId }, select: { performanceId: true } });
  if (!target) throw new DomainError("not_found", "Reservation not found.");
  const forEmail = options.notifyHolder ? await reservationForEmail(prisma, reservationId) : null;
  const { result } = await withSeatRelease(prisma, options.config ?? getConfig(), target.performanceId, now, async (tx) => {
    const rows = await tx.$queryRaw<{ status: string; performanceId: string; source: string }[]>`
      SELECT "status"::text AS "status", "performanceId"::text AS "performanceId", "source"::text AS "source" FROM "Reservation"
      WHERE "id" = ${reservationId}::uuid FOR UPDATE`;
    const row = rows[0];
    if (!row) throw new DomainError("not_found", "Reservation not found.");
    const checkIn = await tx.checkIn.findUnique({ where: { reservationId }, select: { checkedInAt: true } });
    if (checkIn) {
      throw new DomainError("already_checked_in", "This party has already been checked in; it cannot be cancelled.", {
        checkedInAt: checkIn.checkedInAt.toISOString(),
      });
    }
    if (row.status !== "pending" && row.status !== "confirmed") {
      throw new DomainError("reservation_not_confirmed", `This reservation is already ${row.status}.`, { status: row.status });
    }
    await tx.reservation.update({ where: { id: reservationId }, data: { status: "cancelled", cancelledAt: now } });
    // A cancelled booking's pending confirmation link must not revive it.
    await tx.reservationToken.updateMany({ where: { reservationId, purpose: "confirmation", usedAt: null }, data: { usedAt: now } });
    // A withdrawn offer ends its waiting-list entry (it does not go back in the queue).
    if (row.source === "waitlist") {
      await tx.waitlistEntry.updateMany({
        where: { reservationId, status: "offered" },
        data: { status: "left", endedReason: "offer_cancelled", endedAt: now },
      });
    }
    if (options.actor) {
      await audit(tx, options.actor, "reservation.cancel", reservationId, { from: row.status, to: "cancelled" });
    }
    const outboxId =
      options.notifyHolder && forEmail?.email ? await enqueueEmail(tx, selfCancelEmail(options.notifyHolder, { ...forEmail, email: forEmail.email })) : null;
    return { reservationId, status: "cancelled" as const, previousStatus: row.status, performanceId: row.performanceId, outboxId };
  });
  invalidatePublicReads(prisma);
  if (result.outboxId && options.notifyHolder) deliverSoon(prisma, options.notifyHolder, result.outboxId);
  getLogger().info({ reservationId, performanceId: result.performanceId }, "reservation cancelled");
  return result;
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
  assertId(reservationId);
  const result = await confirmReservationById(prisma, config, reservationId, { allowExpired: true });
  if (options.actor) await audit(prisma, options.actor, "reservation.confirm", reservationId);
  return result;
}

/**
 * Issues a fresh confirmation link for a pending (or expired: it becomes pending again)
 * reservation and emails it. Older confirmation links stop working (unknown_token).
 * Throws not_found, reservation_not_pending, booking_closed (performance started).
 */
export async function resendConfirmationEmail(prisma: PrismaClient, config: AppConfig, reservationId: string, options: { actor?: Actor; now?: Date } = {}) {
  assertId(reservationId);
  const now = options.now ?? new Date();
  const reservation = await reservationForEmail(prisma, reservationId);
  const to = reservation.email;
  // Only box-office reservations lack an email, and they are never pending.
  if (!to) throw new DomainError("reservation_not_pending", "A box-office reservation has no confirmation link.");
  if (reservation.performance.startsAt.getTime() <= now.getTime()) {
    throw new DomainError("booking_closed", "The performance has already started.");
  }
  const token = generateToken();
  const expiresAt = confirmationExpiry(config, reservation.performance.startsAt, now);
  const outboxId = await withTransaction(prisma, async (tx) => {
    const updated = await tx.reservation.updateMany({
      where: { id: reservationId, status: { in: ["pending", "expired"] } },
      data: { status: "pending" },
    });
    if (updated.count !== 1) throw new DomainError("reservation_not_pending", "Only a pending or expired reservation can get a new confirmation link.");
    await tx.reservationToken.deleteMany({ where: { reservationId, purpose: "confirmation" } });
    await tx.reservationToken.create({ data: { reservationId, purpose: "confirmation", tokenHash: hashToken(token), expiresAt } });
    if (options.actor) await audit(tx, options.actor, "reservation.resend_confirmation", reservationId);
    return enqueueEmail(
      tx,
      confirmationEmail(config, {
        reservationId,
        to,
        locale: reservation.locale,
        partySize: reservation.partySize,
        performance: reservation.performance,
        token,
        expiresAt,
      }),
    );
  });
  getLogger().info({ reservationId }, "confirmation email re-sent");
  deliverSoon(prisma, config, outboxId);
  return { reservationId, outboxId, expiresAt, confirmationToken: token };
}

/**
 * Rotates the ticket of a confirmed reservation and emails the new one: a new ticket
 * link and QR, the old link stops working at once (unknown_token at the door).
 * Throws not_found, reservation_not_confirmed.
 */
export async function resendTicketEmail(prisma: PrismaClient, config: AppConfig, reservationId: string, options: { actor?: Actor; now?: Date } = {}) {
  assertId(reservationId);
  const now = options.now ?? new Date();
  const reservation = await reservationForEmail(prisma, reservationId);
  const { token, email, expiresAt } = newTicket(config, reservation);
  const outboxId = await withTransaction(prisma, async (tx) => {
    const rows = await tx.$queryRaw<{ status: string }[]>`
      SELECT "status"::text AS "status" FROM "Reservation" WHERE "id" = ${reservationId}::uuid FOR UPDATE`;
    if (rows[0]?.status !== "confirmed") {
      throw new DomainError("reservation_not_confirmed", "Only a confirmed reservation has a ticket.", { status: rows[0]?.status ?? null });
    }
    await tx.reservationToken.deleteMany({ where: { reservationId, purpose: "check_in" } });
    await tx.reservationToken.create({ data: { reservationId, purpose: "check_in", tokenHash: hashToken(token), expiresAt } });
    await tx.reservation.update({ where: { id: reservationId }, data: { qrCodeGeneratedAt: now } });
    if (options.actor) await audit(tx, options.actor, "reservation.resend_ticket", reservationId);
    // Without an email the new ticket is only printed (the record page links it).
    return email ? enqueueEmail(tx, email) : null;
  });
  getLogger().info({ reservationId, emailed: outboxId !== null }, "ticket re-issued");
  if (outboxId) deliverSoon(prisma, config, outboxId);
  return { reservationId, outboxId, ticketUrl: ticketUrl(config.ORIGIN, token), ticketToken: token };
}

async function audit(db: PrismaClient | Tx, actor: Actor, action: string, reservationId: string, changes?: Record<string, unknown>): Promise<void> {
  await recordAudit(db, { userId: actor.userId ?? null, actorLabel: actor.label, action, entity: "Reservation", entityId: reservationId, changes });
}
