import type { PrismaClient } from "@sipario/db";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import { assertSeatsFit, availableSeats, lockPerformance, NO_SEATS_TAKEN, seatsTakenByPerformance } from "../capacity/capacity.service.ts";
import { getConfig, type AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { isUuid } from "../lib/ids.ts";
import { invalidatePublicReads } from "../lib/public-read-cache.ts";
import { retimeTickets } from "../lib/ticket-time.ts";
import { withTransaction } from "../lib/transaction.ts";
import { getLogger } from "../logger.ts";
import { deliverOffers, offerFreeSeats } from "../waitlist/offers.ts";

export interface CapacityPatch {
  roomCapacity?: number;
  manuallyOccupiedSeats?: number;
  additionalSeats?: number;
  isBookingEnabled?: boolean;
  startsAt?: Date;
}

const nonNegativeInt = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 100_000;

/**
 * Edits the seats (and opening/start) of a performance under the same row lock as
 * confirmations, so a concurrent confirmation can never slip between the check and the
 * write. Invariant: confirmed seats + manually occupied seats <= room + additional.
 * Throws DomainError not_found, invalid_input (negative values, manual seats over the
 * room), capacity_below_confirmed (would leave confirmed reservations without seats).
 */
export async function updatePerformanceCapacity(
  prisma: PrismaClient,
  performanceId: string,
  patch: CapacityPatch,
  options: { actor?: Actor; config?: AppConfig } = {},
) {
  for (const key of ["roomCapacity", "manuallyOccupiedSeats", "additionalSeats"] as const) {
    if (patch[key] !== undefined && !nonNegativeInt(patch[key])) {
      throw new DomainError("invalid_input", `${key} must be a whole number between 0 and 100000.`);
    }
  }
  if (patch.startsAt !== undefined && (!(patch.startsAt instanceof Date) || Number.isNaN(patch.startsAt.getTime()))) {
    throw new DomainError("invalid_input", "startsAt must be a valid date.");
  }
  if (!isUuid(performanceId)) throw new DomainError("not_found", "Performance not found.");
  const config = options.config ?? getConfig();
  const now = new Date();
  const result = await withTransaction(prisma, async (tx) => {
    const current = await lockPerformance(tx, performanceId);
    if (!current) throw new DomainError("not_found", "Performance not found.");
    const next = {
      roomCapacity: patch.roomCapacity ?? current.roomCapacity,
      additionalSeats: patch.additionalSeats ?? current.additionalSeats,
      manuallyOccupiedSeats: patch.manuallyOccupiedSeats ?? current.manuallyOccupiedSeats,
    };
    const confirmed = await assertSeatsFit(tx, performanceId, next);
    const updated = await tx.performance.update({
      where: { id: performanceId },
      data: {
        ...next,
        ...(patch.isBookingEnabled !== undefined ? { isBookingEnabled: patch.isBookingEnabled } : {}),
        ...(patch.startsAt !== undefined ? { startsAt: patch.startsAt } : {}),
      },
      include: { venue: { select: { timeZone: true } } },
    });
    if (patch.startsAt !== undefined && patch.startsAt.getTime() !== current.startsAt.getTime()) {
      await retimeTickets(tx, performanceId, { startsAt: patch.startsAt, venue: updated.venue }, config);
    }
    await recordAudit(tx, {
      ...actorAudit(options.actor),
      action: "performance.capacity",
      entity: "Performance",
      entityId: performanceId,
      changes: { before: current, patch },
    });
    getLogger().info({ performanceId, confirmedSeats: confirmed }, "performance capacity updated");
    // Seats added or released go to the waiting list first, under this same lock.
    const offers = await offerFreeSeats(tx, config, performanceId, now);
    const { venue: _venue, ...performance } = updated;
    const taken = (await seatsTakenByPerformance(tx, [performanceId], now)).get(performanceId) ?? NO_SEATS_TAKEN;
    return { performance, confirmedSeats: confirmed, availableSeats: availableSeats(next, taken), offers };
  });
  deliverOffers(prisma, config, result.offers);
  invalidatePublicReads(prisma);
  const { offers: _offers, ...answer } = result;
  return answer;
}
