import { Prisma, type PrismaClient } from "@sipario/db";
import { DomainError } from "../errors.ts";
import { isUuid } from "../lib/ids.ts";
import type { Tx } from "../lib/transaction.ts";

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

/** A seat field the admin may change; a refusal names the one to blame. */
export type SeatField = keyof SeatConfiguration;

/** Manually occupied seats fit in room + additional (the database CHECK, said in words). Throws invalid_input on manuallyOccupiedSeats. */
export function assertManualSeatsFit(next: SeatConfiguration): void {
  const total = next.roomCapacity + next.additionalSeats;
  if (next.manuallyOccupiedSeats > total) {
    throw new DomainError(
      "invalid_input",
      `Manually occupied seats (${next.manuallyOccupiedSeats}) cannot exceed the room capacity plus additional seats (${total}).`,
      { field: "manuallyOccupiedSeats", rule: "manual_over_capacity", capacity: total },
    );
  }
}

/**
 * THE rule for changing a performance's seats, read under its lock: manually occupied
 * seats fit in room + additional, and confirmed parties keep theirs. Returns the confirmed
 * seats. Throws invalid_input (field manuallyOccupiedSeats) or capacity_below_confirmed
 * (field `blame`, when given).
 */
export async function assertSeatsFit(tx: Tx, performanceId: string, next: SeatConfiguration, blame?: SeatField): Promise<number> {
  assertManualSeatsFit(next);
  const total = next.roomCapacity + next.additionalSeats;
  const confirmed = await countConfirmedSeats(tx, performanceId);
  if (confirmed + next.manuallyOccupiedSeats > total) {
    throw new DomainError(
      "capacity_below_confirmed",
      `Not enough seats for the reservations already confirmed: ${confirmed} confirmed seats + ${next.manuallyOccupiedSeats} manually occupied seats need ${confirmed + next.manuallyOccupiedSeats}, but the new capacity would be ${total} (room ${next.roomCapacity} + additional ${next.additionalSeats}). Cancel reservations first or keep at least ${confirmed + next.manuallyOccupiedSeats} seats.`,
      { confirmedSeats: confirmed, manuallyOccupiedSeats: next.manuallyOccupiedSeats, requestedCapacity: total, ...(blame ? { field: blame } : {}) },
    );
  }
  return confirmed;
}
