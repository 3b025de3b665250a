import type pg from "pg";

/**
 * Consistency of the booking data after a fault, as SQL: each query counts rows that
 * must not exist. Used by every fault test so "nothing half-written" means the same.
 */
export const INVARIANTS: { name: string; sql: string }[] = [
  {
    name: "used confirmation token on a pending reservation",
    sql: `SELECT count(*)::int AS n FROM "ReservationToken" t JOIN "Reservation" r ON r."id" = t."reservationId"
          WHERE t."purpose" = 'confirmation' AND t."usedAt" IS NOT NULL AND r."status" = 'pending'`,
  },
  {
    name: "confirmed reservation without a ticket (check_in) token",
    sql: `SELECT count(*)::int AS n FROM "Reservation" r WHERE r."status" = 'confirmed'
          AND NOT EXISTS (SELECT 1 FROM "ReservationToken" t WHERE t."reservationId" = r."id" AND t."purpose" = 'check_in')`,
  },
  {
    name: "confirmed reservation whose confirmation token is unused",
    sql: `SELECT count(*)::int AS n FROM "Reservation" r WHERE r."status" = 'confirmed'
          AND EXISTS (SELECT 1 FROM "ReservationToken" t WHERE t."reservationId" = r."id" AND t."purpose" = 'confirmation' AND t."usedAt" IS NULL)`,
  },
  {
    name: "confirmed reservation without its ticket email in the outbox",
    sql: `SELECT count(*)::int AS n FROM "Reservation" r WHERE r."status" = 'confirmed'
          AND NOT EXISTS (SELECT 1 FROM "EmailOutbox" o WHERE o."reservationId" = r."id" AND o."kind" = 'ticket')`,
  },
  {
    name: "reservation without its confirmation token",
    sql: `SELECT count(*)::int AS n FROM "Reservation" r
          WHERE NOT EXISTS (SELECT 1 FROM "ReservationToken" t WHERE t."reservationId" = r."id" AND t."purpose" = 'confirmation')`,
  },
  {
    name: "reservation without its confirmation email in the outbox",
    sql: `SELECT count(*)::int AS n FROM "Reservation" r
          WHERE NOT EXISTS (SELECT 1 FROM "EmailOutbox" o WHERE o."reservationId" = r."id" AND o."kind" = 'confirmation')`,
  },
  {
    name: "performance with more confirmed seats than it has",
    sql: `SELECT count(*)::int AS n FROM "Performance" p
          WHERE p."roomCapacity" + p."additionalSeats" - p."manuallyOccupiedSeats" <
            (SELECT COALESCE(SUM(r."partySize"), 0) FROM "Reservation" r WHERE r."performanceId" = p."id" AND r."status" = 'confirmed')`,
  },
];

/** Names of the invariants broken in the database, with their counts ({} when consistent). */
export async function brokenInvariants(pool: pg.Pool): Promise<Record<string, number>> {
  const broken: Record<string, number> = {};
  for (const inv of INVARIANTS) {
    const n = (await pool.query(inv.sql)).rows[0].n as number;
    if (n > 0) broken[inv.name] = n;
  }
  return broken;
}
