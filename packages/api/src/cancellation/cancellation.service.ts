import type { PrismaClient } from "@sipario/db";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import { reservationForEmail, selfCancelEmail } from "../booking/emails.ts";
import { getConfig, type AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { isUuid } from "../lib/ids.ts";
import { invalidatePublicReads } from "../lib/public-read-cache.ts";
import { getLogger } from "../logger.ts";
import { deliverSoon, enqueueEmail } from "../mail/outbox.service.ts";
import { withSeatRelease } from "../waitlist/offers.ts";

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
  if (!isUuid(reservationId)) throw new DomainError("not_found", "Reservation not found.");
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
      await recordAudit(tx, {
        ...actorAudit(options.actor),
        action: "reservation.cancel",
        entity: "Reservation",
        entityId: reservationId,
        changes: { from: row.status, to: "cancelled" },
      });
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
