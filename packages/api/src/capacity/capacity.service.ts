import { Prisma, type PrismaClient } from "@sipario/db";
import { getConfig, type AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { ticketsValidUntil } from "../tickets/ticket-time.ts";
import { getLogger } from "../logger.ts";
import { withTransaction, type Tx } from "./transaction.ts";
import { invalidatePublicReads } from "../catalogue/public-read-cache.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { isUuid } from "../lib/ids.ts";

/** Seats of a performance as configured: room + additional - manually occupied. */
export function configuredSeats(p: { roomCapacity: number; additionalSeats: number; manuallyOccupiedSeats: number }): number {
  return p.roomCapacity + p.additionalSeats - p.manuallyOccupiedSeats;
}

/** Available seats: never below 0 even if an admin squeezed the room after the fact. */
export function availableSeats(
  p: { roomCapacity: number; additionalSeats: number; manuallyOccupiedSeats: number },
  confirmedSeats: number,
): number {
  return Math.max(0, configuredSeats(p) - confirmedSeats);
}

/**
 * Confirmed seats per performance in ONE grouped query (no N+1). Performances without
 * confirmed reservations are absent from the map: read with `?? 0`.
 */
export async function confirmedSeatsByPerformance(db: PrismaClient | Tx, performanceIds: string[]): Promise<Map<string, number>> {
  if (performanceIds.length === 0) return new Map();
  const rows = await db.reservation.groupBy({
    by: ["performanceId"],
    where: { performanceId: { in: performanceIds }, status: "confirmed" },
    _sum: { partySize: true },
  });
  return new Map(rows.map((r) => [r.performanceId, r._sum.partySize ?? 0]));
}

export interface PerformanceSeatSummary {
  performanceId: string;
  /** roomCapacity + additionalSeats - manuallyOccupiedSeats */
  capacity: number;
  confirmedSeats: number;
  pendingCount: number;
  checkedInParties: number;
  checkedInPeople: number;
  availableSeats: number;
}

/**
 * Door and dashboard numbers for several performances in one grouped query. Only
 * confirmed reservations consume seats; checked-in parties are a subset of confirmed.
 * Unknown ids are simply absent from the result.
 */
export async function performanceSeatSummary(
  prisma: PrismaClient | Tx,
  performanceIds: string[],
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
      pendingCount: number;
      checkedInParties: number;
      checkedInPeople: number;
    }[]
  >`
    SELECT p."id"::text AS "id", p."roomCapacity", p."additionalSeats", p."manuallyOccupiedSeats",
      COALESCE(SUM(r."partySize") FILTER (WHERE r."status" = 'confirmed'), 0)::int AS "confirmedSeats",
      COUNT(r."id") FILTER (WHERE r."status" = 'pending')::int AS "pendingCount",
      COUNT(c."id") FILTER (WHERE r."status" = 'confirmed')::int AS "checkedInParties",
      COALESCE(SUM(r."partySize") FILTER (WHERE c."id" IS NOT NULL AND r."status" = 'confirmed'), 0)::int AS "checkedInPeople"
    FROM "Performance" p
    LEFT JOIN "Reservation" r ON r."performanceId" = p."id"
    LEFT JOIN "CheckIn" c ON c."reservationId" = r."id"
    WHERE p."id" IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})
    GROUP BY p."id"`;
  return new Map(
    rows.map((r) => {
      const capacity = configuredSeats(r);
      return [
        r.id,
        {
          performanceId: r.id,
          capacity,
          confirmedSeats: r.confirmedSeats,
          pendingCount: r.pendingCount,
          checkedInParties: r.checkedInParties,
          checkedInPeople: r.checkedInPeople,
          availableSeats: Math.max(0, capacity - r.confirmedSeats),
        },
      ];
    }),
  );
}


export interface LockedPerformance {
  id: string;
  startsAt: Date;
  roomCapacity: number;
  additionalSeats: number;
  manuallyOccupiedSeats: number;
  isBookingEnabled: boolean;
}

/**
 * Locks the performance row for the rest of the transaction: every change to its seats
 * (confirmations, capacity edits) queues here, so "recount then write" is atomic.
 * SIPARIO_TEST_DISABLE_CAPACITY_LOCK=1 (honoured only when NODE_ENV=test) skips the lock
 * so the race tests can show what happens without it.
 */
export async function lockPerformance(tx: Tx, performanceId: string): Promise<LockedPerformance | null> {
  const rows = capacityLockDisabled()
    ? await tx.$queryRaw<LockedPerformance[]>`
        SELECT "id"::text AS "id", "startsAt", "roomCapacity", "additionalSeats", "manuallyOccupiedSeats", "isBookingEnabled"
        FROM "Performance" WHERE "id" = ${performanceId}::uuid`
    : await tx.$queryRaw<LockedPerformance[]>`
        SELECT "id"::text AS "id", "startsAt", "roomCapacity", "additionalSeats", "manuallyOccupiedSeats", "isBookingEnabled"
        FROM "Performance" WHERE "id" = ${performanceId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

export function capacityLockDisabled(): boolean {
  return process.env.NODE_ENV === "test" && process.env.SIPARIO_TEST_DISABLE_CAPACITY_LOCK === "1";
}

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
        data: { expiresAt: ticketsValidUntil({ startsAt: patch.startsAt, venue: updated.venue }, options.config ?? getConfig()) },
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
    const { venue: _venue, ...performance } = updated;
    return { performance, confirmedSeats: confirmed, availableSeats: Math.max(0, total - next.manuallyOccupiedSeats - confirmed) };
  });
  invalidatePublicReads(prisma);
  return result;
}
