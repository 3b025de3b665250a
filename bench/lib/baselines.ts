import { randomBytes } from "node:crypto";
import type pg from "pg";
import { sha256hex } from "./fixtures.ts";

/**
 * The raw limit: the same statements the services run, straight through `pg` (no HTTP,
 * no ORM, no email rendering), so a scenario's ratio says how much the product stack
 * costs on top of what PostgreSQL itself can do on this machine.
 */

// Written as already sent (same write cost), so the servers' outbox workers do not mail them.
const EMAIL_PAYLOAD = JSON.stringify({ text: "x".repeat(1500), html: "<p>" + "x".repeat(3000) + "</p>" });

export type BaselineOutcome = "ok" | "not_enough_seats" | "token_used" | "unknown_token" | "reservation_not_pending";

/** Runs `work` in one transaction on a connection of its own: committed on "ok", rolled back otherwise. */
async function transaction(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<BaselineOutcome>): Promise<BaselineOutcome> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const outcome = await work(client);
    await client.query(outcome === "ok" ? "COMMIT" : "ROLLBACK");
    return outcome;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** booking.create's statements: performance read, seat count, reservation + token + outbox in one transaction. */
export async function baselineCreate(pool: pg.Pool, performanceId: string, i: number, prefix: string): Promise<BaselineOutcome> {
  const p = await pool.query(
    `SELECT p."id", p."startsAt", p."roomCapacity", p."additionalSeats", p."manuallyOccupiedSeats", p."isBookingEnabled", s."isPublished", s."title", v."name"
     FROM "Performance" p JOIN "Show" s ON s."id" = p."showId" JOIN "Venue" v ON v."id" = p."venueId" WHERE p."id" = $1::uuid`,
    [performanceId],
  );
  const perf = p.rows[0];
  const seats = await pool.query(
    `SELECT COALESCE(SUM("partySize"),0)::int AS s FROM "Reservation" WHERE "performanceId" = $1::uuid AND "status" = 'confirmed'`,
    [performanceId],
  );
  const partySize = 1 + (i % 4);
  if (perf.roomCapacity + perf.additionalSeats - perf.manuallyOccupiedSeats - seats.rows[0].s < partySize) return "not_enough_seats";
  return transaction(pool, async (client) => {
    const r = await client.query(
      `INSERT INTO "Reservation" ("id","performanceId","status","name","email","partySize","locale","updatedAt")
       VALUES (gen_random_uuid(), $1::uuid, 'pending', $2, $3, $4, 'it', now()) RETURNING "id"`,
      [performanceId, `Baseline ${i}`, `${prefix}${i}@bench.test`, partySize],
    );
    await client.query(
      `INSERT INTO "ReservationToken" ("id","reservationId","purpose","tokenHash","expiresAt") VALUES (gen_random_uuid(), $1, 'confirmation', $2, now() + interval '1 day')`,
      [r.rows[0].id, sha256hex(randomBytes(32).toString("base64url"))],
    );
    await client.query(
      `INSERT INTO "EmailOutbox" ("id","kind","reservationId","toAddress","subject","payload","status","updatedAt") VALUES (gen_random_uuid(), 'confirmation', $1, $2, 'Conferma', $3::jsonb, 'sent', now())`,
      [r.rows[0].id, `${prefix}${i}@bench.test`, EMAIL_PAYLOAD],
    );
    return "ok";
  });
}

/**
 * booking.confirm's lock-count-confirm transaction: resolve the token, lock the
 * performance row, recount confirmed seats, consume the token, confirm, create the
 * ticket token and queue the ticket email; roll back when the party no longer fits.
 */
export async function baselineConfirm(pool: pg.Pool, rawToken: string): Promise<BaselineOutcome> {
  const t = await pool.query(
    `SELECT t."id", t."purpose", t."usedAt", t."expiresAt", t."reservationId", r."status", r."partySize", r."performanceId", r."email"
     FROM "ReservationToken" t JOIN "Reservation" r ON r."id" = t."reservationId" WHERE t."tokenHash" = $1`,
    [sha256hex(rawToken)],
  );
  const tok = t.rows[0];
  if (!tok || tok.purpose !== "confirmation") return "unknown_token";
  if (tok.usedAt) return "token_used";
  if (tok.status !== "pending") return "reservation_not_pending";
  return transaction(pool, async (client) => {
    const locked = await client.query(`SELECT "roomCapacity", "additionalSeats", "manuallyOccupiedSeats" FROM "Performance" WHERE "id" = $1 FOR UPDATE`, [
      tok.performanceId,
    ]);
    const perf = locked.rows[0];
    const seats = await client.query(`SELECT COALESCE(SUM("partySize"),0)::int AS s FROM "Reservation" WHERE "performanceId" = $1 AND "status" = 'confirmed'`, [
      tok.performanceId,
    ]);
    if (perf.roomCapacity + perf.additionalSeats - perf.manuallyOccupiedSeats - seats.rows[0].s < tok.partySize) return "not_enough_seats";
    const used = await client.query(`UPDATE "ReservationToken" SET "usedAt" = now() WHERE "id" = $1 AND "usedAt" IS NULL`, [tok.id]);
    if (used.rowCount !== 1) return "token_used";
    await client.query(
      `UPDATE "Reservation" SET "status" = 'confirmed', "confirmedAt" = now(), "qrCodeGeneratedAt" = now(), "updatedAt" = now() WHERE "id" = $1 AND "status" = 'pending'`,
      [tok.reservationId],
    );
    await client.query(
      `INSERT INTO "ReservationToken" ("id","reservationId","purpose","tokenHash","expiresAt") VALUES (gen_random_uuid(), $1, 'check_in', $2, now() + interval '1 day')`,
      [tok.reservationId, sha256hex(randomBytes(32).toString("base64url"))],
    );
    await client.query(
      `INSERT INTO "EmailOutbox" ("id","kind","reservationId","toAddress","subject","payload","status","updatedAt") VALUES (gen_random_uuid(), 'ticket', $1, $2, 'Biglietto', $3::jsonb, 'sent', now())`,
      [tok.reservationId, tok.email, EMAIL_PAYLOAD],
    );
    return "ok";
  });
}

/** checkin.confirm's one atomic statement (conditional INSERT ... ON CONFLICT DO NOTHING). */
export async function baselineCheckIn(pool: pg.Pool, rawToken: string, staffId: string): Promise<"ok" | "already_checked_in"> {
  const hash = sha256hex(rawToken);
  const r = await pool.query(
    `WITH target AS (
       SELECT r."id" FROM "Reservation" r
       JOIN "Performance" p ON p."id" = r."performanceId"
       JOIN "ReservationToken" t ON t."reservationId" = r."id"
       WHERE t."tokenHash" = $1 AND t."purpose" = 'check_in' AND t."expiresAt" > now() AND r."status" = 'confirmed'
       FOR SHARE OF r)
     INSERT INTO "CheckIn" ("id","reservationId","checkedInAt","checkedInById","source","createdAt","updatedAt")
     SELECT gen_random_uuid(), target."id", now(), $2::uuid, 'qr_scan', now(), now() FROM target
     ON CONFLICT ("reservationId") DO NOTHING RETURNING "checkedInAt"`,
    [hash, staffId],
  );
  return r.rowCount === 1 ? "ok" : "already_checked_in";
}

/** The catalogue.shows query, as the bare node:http baseline server runs it. */
export const CATALOGUE_SHOWS_SQL = `SELECT "id"::text AS "id", "slug", "title", "summary", "posterImage" FROM "Show" WHERE "isPublished" = true ORDER BY "title" ASC`;
