import type { PrismaClient } from "@sipario/db";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { isUuid } from "../lib/ids.ts";
import { ticketUrl } from "../lib/ticket-assets.ts";
import { generateToken, hashToken } from "../lib/tokens.ts";
import { withTransaction, type Tx } from "../lib/transaction.ts";
import { getLogger } from "../logger.ts";
import { deliverSoon, enqueueEmail } from "../mail/outbox.service.ts";
import { confirmationExpiry } from "./booking.service.ts";
import { confirmationEmail, newTicket, reservationForEmail } from "./emails.ts";

// Sending a reservation's links again: the visitor's "resend" and the back-office's buttons.

function assertId(id: string): void {
  if (!isUuid(id)) throw new DomainError("not_found", "Reservation not found.");
}

/**
 * Issues a fresh confirmation link for a pending (or expired: it becomes pending again)
 * reservation and emails it. Older confirmation links stop working (unknown_token).
 * With `notWithinMs`, refuses (rate_limited, with retryAfterSeconds) when the last link
 * went out less than that long ago; checked under the reservation's row lock, so two
 * requests at once send one email.
 * Throws not_found, reservation_not_pending, booking_closed (performance started).
 */
export async function resendConfirmationEmail(
  prisma: PrismaClient,
  config: AppConfig,
  reservationId: string,
  options: { actor?: Actor; now?: Date; notWithinMs?: number } = {},
) {
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
    if (options.notWithinMs) {
      const sentAt = await lastConfirmationSentAt(tx, reservationId);
      const wait = sentAt ? sentAt.getTime() + options.notWithinMs - now.getTime() : 0;
      if (wait > 0) {
        throw new DomainError("rate_limited", "A new confirmation link was sent a moment ago.", { retryAfterSeconds: Math.ceil(wait / 1000) });
      }
    }
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

/** When the latest confirmation link went out: its email, else (not queued yet) its token. */
async function lastConfirmationSentAt(tx: Tx, reservationId: string): Promise<Date | null> {
  const email = await tx.emailOutbox.findFirst({
    where: { reservationId, kind: "confirmation" },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  if (email) return email.createdAt;
  const token = await tx.reservationToken.findFirst({
    where: { reservationId, purpose: "confirmation" },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  return token?.createdAt ?? null;
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

async function audit(db: PrismaClient | Tx, actor: Actor, action: string, reservationId: string): Promise<void> {
  await recordAudit(db, { ...actorAudit(actor), action, entity: "Reservation", entityId: reservationId });
}
