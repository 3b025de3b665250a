import { Prisma, type PrismaClient } from "@sipario/db";
import { getConfig, type AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { ticketsValidUntil } from "../tickets/ticket-time.ts";
import { getLogger } from "../logger.ts";
import { withTransaction, type Tx } from "./transaction.ts";
import { invalidatePublicReads } from "../catalogue/public-read-cache.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { deliverOffers, offerFreeSeats } from "../waitlist/offers.ts";
import { isUuid } from "../lib/ids.ts";

/** Seats of a performance as configured: room + additional - manually occupied. */
export function configuredSeats(p: SeatConfiguration): number {
  return p.roomCapacity + p.additionalSeats - p.manuallyOccupiedSeats;
}

export interface SeatConfiguration {
  roomCapacity: number;
  additionalSeats: number;
  manuallyOccupiedSeats: number;
}

/** What takes seats away: confirmed parties, and waiting-list offers while they are held. */
export interface SeatsTaken {
  confirmedSeats: number;
  heldOfferSeats: number;
}

/**
 * THE capacity formula (CONTRACT.md): available = room + additional - manual - confirmed
 * - held offers, never below 0 (an admin may squeeze the room after the fact).
 * AVAILABLE_SEATS_SQL below is its SQL twin; capacity.test.ts checks that they agree.
 */
export function availableSeats(p: SeatConfiguration, taken: SeatsTaken): number {
  return Math.max(0, configuredSeats(p) - taken.confirmedSeats - taken.heldOfferSeats);
}

/** Confirmed seats of the performance row aliased `p`. */
export const CONFIRMED_SEATS_SQL = Prisma.sql`COALESCE((SELECT SUM(c."partySize") FROM "Reservation" c
  WHERE c."performanceId" = p."id" AND c."status" = 'confirmed'), 0)::int`;

/**
 * Seats held by waiting-list offers of the performance row aliased `p` at `now`: pending
 * reservations whose offerExpiresAt is still ahead. `exceptReservation` (an SQL uuid
 * expression) leaves out the offer being confirmed: its own hold is what it confirms into.
 */
export function heldOfferSeatsSql(now: Date, exceptReservation: Prisma.Sql | null = null): Prisma.Sql {
  const except = exceptReservation ? Prisma.sql`AND h."id" <> ${exceptReservation}` : Prisma.empty;
  return Prisma.sql`COALESCE((SELECT SUM(h."partySize") FROM "Reservation" h
    WHERE h."performanceId" = p."id" AND h."status" = 'pending' AND h."offerExpiresAt" > ${now}::timestamptz ${except}), 0)::int`;
}

/**
 * The hold that keeps offered seats away from direct bookings. Production never changes
 * it: testing/without-offer-hold.ts swaps it for one that counts no holds, so the race
 * test's control run can show the waiting list being skipped without it.
 */
export const offerHold = { heldSeatsSql: heldOfferSeatsSql };

/**
 * availableSeats() in SQL, for the performance row aliased `p` (same clamp at 0). Every
 * statement that decides or shows free seats uses this, never its own arithmetic.
 */
export function availableSeatsSql(now: Date, exceptReservation: Prisma.Sql | null = null): Prisma.Sql {
  return Prisma.sql`GREATEST(0, p."roomCapacity" + p."additionalSeats" - p."manuallyOccupiedSeats"
    - ${CONFIRMED_SEATS_SQL} - ${offerHold.heldSeatsSql(now, exceptReservation)})::int`;
}

/**
 * Confirmed and held-offer seats per performance in ONE statement (no N+1). Unknown ids
 * are absent from the map: read with `?? NO_SEATS_TAKEN`.
 */
export async function seatsTakenByPerformance(db: PrismaClient | Tx, performanceIds: string[], now = new Date()): Promise<Map<string, SeatsTaken>> {
  const ids = [...new Set(performanceIds)].filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<(SeatsTaken & { id: string })[]>`
    SELECT p."id"::text AS "id", ${CONFIRMED_SEATS_SQL} AS "confirmedSeats", ${offerHold.heldSeatsSql(now)} AS "heldOfferSeats"
    FROM "Performance" p WHERE p."id" IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})`;
  return new Map(rows.map((r) => [r.id, { confirmedSeats: r.confirmedSeats, heldOfferSeats: r.heldOfferSeats }]));
}

export const NO_SEATS_TAKEN: SeatsTaken = Object.freeze({ confirmedSeats: 0, heldOfferSeats: 0 });

export interface PerformanceSeatSummary {
  performanceId: string;
  /** roomCapacity + additionalSeats - manuallyOccupiedSeats */
  capacity: number;
  confirmedSeats: number;
  /** Seats held for waiting-list offers not yet confirmed. */
  heldOfferSeats: number;
  pendingCount: number;
  checkedInParties: number;
  checkedInPeople: number;
  availableSeats: number;
}

/**
 * Door and dashboard numbers for several performances in one grouped query. Only
 * confirmed reservations and held offers consume seats; checked-in parties are a subset
 * of confirmed. Unknown ids are simply absent from the result.
 */
export async function performanceSeatSummary(
  prisma: PrismaClient | Tx,
  performanceIds: string[],
  now = new Date(),
): Promise<Map<string, PerformanceSeatSummary>> {
  const ids = [...new Set(performanceIds)].filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await prisma.$queryRaw<
    {
      id: string;
      roomCapacity: number;
      additionalSeats: number;
      manuallyOccupiedSeats: number;
      confirmedSeats: number;
      heldOfferSeats: number;
      pendingCount: number;
      checkedInParties: number;
      checkedInPeople: number;
    }[]
  >`
    SELECT p."id"::text AS "id", p."roomCapacity", p."additionalSeats", p."manuallyOccupiedSeats",
      ${CONFIRMED_SEATS_SQL} AS "confirmedSeats", ${offerHold.heldSeatsSql(now)} AS "heldOfferSeats",
      (SELECT COUNT(*) FROM "Reservation" r WHERE r."performanceId" = p."id" AND r."status" = 'pending')::int AS "pendingCount",
      (SELECT COUNT(*) FROM "Reservation" r JOIN "CheckIn" c ON c."reservationId" = r."id"
        WHERE r."performanceId" = p."id" AND r."status" = 'confirmed')::int AS "checkedInParties",
      (SELECT COALESCE(SUM(r."partySize"), 0) FROM "Reservation" r JOIN "CheckIn" c ON c."reservationId" = r."id"
        WHERE r."performanceId" = p."id" AND r."status" = 'confirmed')::int AS "checkedInPeople"
    FROM "Performance" p
    WHERE p."id" IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})`;
  return new Map(
    rows.map((r) => [
      r.id,
      {
        performanceId: r.id,
        capacity: configuredSeats(r),
        confirmedSeats: r.confirmedSeats,
        heldOfferSeats: r.heldOfferSeats,
        pendingCount: r.pendingCount,
        checkedInParties: r.checkedInParties,
        checkedInPeople: r.checkedInPeople,
        availableSeats: availableSeats(r, r),
      },
    ]),
  );
}

export interface LockedPerformance {
  id: string;
  startsAt: Date;
  roomCapacity: number;
  additionalSeats: number;
  manuallyOccupiedSeats: number;
  isBookingEnabled: boolean;
  status: "scheduled" | "cancelled";
}

/** Takes a performance's capacity lock; injectable so race tests' control runs can show the race without it. */
export type PerformanceLocker = (tx: Tx, performanceId: string) => Promise<LockedPerformance | null>;

/**
 * Locks the performance row for the rest of the transaction: every change to its seats
 * (confirmations, capacity edits) queues here, so "recount then write" is atomic. The race
 * tests' control runs inject testing/unsafe-capacity.ts's unlocked read instead.
 */
export const lockPerformance: PerformanceLocker = async (tx, performanceId) => {
  const rows = await tx.$queryRaw<LockedPerformance[]>`
    SELECT "id"::text AS "id", "startsAt", "roomCapacity", "additionalSeats", "manuallyOccupiedSeats", "isBookingEnabled", "status"::text AS "status"
    FROM "Performance" WHERE "id" = ${performanceId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
};

/** Confirmed seats of one performance, read inside the locking transaction. */
export async function countConfirmedSeats(tx: Tx, performanceId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ seats: number }[]>`
    SELECT COALESCE(SUM("partySize"), 0)::int AS "seats" FROM "Reservation"
    WHERE "performanceId" = ${performanceId}::uuid AND "status" = 'confirmed'`;
  return rows[0]?.seats ?? 0;
}

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
  options: { actor?: { userId?: string | null; label?: string }; config?: AppConfig } = {},
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
    const total = next.roomCapacity + next.additionalSeats;
    if (next.manuallyOccupiedSeats > total) {
      throw new DomainError(
        "invalid_input",
        `Manually occupied seats (${next.manuallyOccupiedSeats}) cannot exceed the room capacity plus additional seats (${total}).`,
      );
    }
    const confirmed = await countConfirmedSeats(tx, performanceId);
    if (confirmed + next.manuallyOccupiedSeats > total) {
      throw new DomainError(
        "capacity_below_confirmed",
        `Not enough seats for the reservations already confirmed: ${confirmed} confirmed seats + ${next.manuallyOccupiedSeats} manually occupied seats need ${confirmed + next.manuallyOccupiedSeats}, but the new capacity would be ${total} (room ${next.roomCapacity} + additional ${next.additionalSeats}). Cancel reservations first or keep at least ${confirmed + next.manuallyOccupiedSeats} seats.`,
        { confirmedSeats: confirmed, manuallyOccupiedSeats: next.manuallyOccupiedSeats, requestedCapacity: total },
      );
    }
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
      // Tickets stay valid until the (new) performance day ends.
      await tx.reservationToken.updateMany({
        where: { purpose: "check_in", reservation: { performanceId } },
        data: { expiresAt: ticketsValidUntil({ startsAt: patch.startsAt, venue: updated.venue }, config) },
      });
    }
    await recordAudit(tx, {
      userId: options.actor?.userId ?? null,
      actorLabel: options.actor?.label,
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
