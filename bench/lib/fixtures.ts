import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../../packages/db/src/migrate.ts";
import { pgSession } from "../../packages/db/src/sql.ts";

/**
 * Bench database and data, written with plain SQL so setting up 100,000 rows takes
 * seconds. Rows look like the product's own (same columns, hashed tokens, UUIDs).
 */

export const DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export function sha256hex(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex");
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface BenchDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  serverVersion: string;
  drop(): Promise<void>;
}

/** A fresh database of its own on the server at adminUrl, migrated with the project's runner. */
export async function createBenchDatabase(adminUrl: string, prefix = "sipario_bench"): Promise<BenchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let serverVersion = "";
  try {
    serverVersion = (await admin.query("SELECT version() AS v")).rows[0].v;
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const session = await pgSession(url);
  try {
    await applyMigrations(session);
  } finally {
    await session.close();
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // DROP DATABASE ... WITH (FORCE) terminates idle connections: not a crash.
  pool.on("error", () => {});
  let dropped = false;
  return {
    name,
    url,
    pool,
    serverVersion,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await pool.end().catch(() => {});
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface Catalogue {
  venueId: string;
  shows: { id: string; slug: string }[];
}

/** Published shows with a few upcoming performances each (the catalogue pages' data). */
export async function seedCatalogue(pool: pg.Pool, shows = 8, perShow = 3): Promise<Catalogue> {
  const venue = await pool.query(
    `INSERT INTO "Venue" ("id","name","slug","address","city","updatedAt")
     VALUES (gen_random_uuid(), 'Teatro Bench', 'teatro-bench-' || substr(md5(random()::text),1,8), 'Via del Teatro 1', 'Roma', now())
     RETURNING "id"::text AS id`,
  );
  const venueId = venue.rows[0].id as string;
  const rows = await pool.query(
    `INSERT INTO "Show" ("id","title","slug","summary","description","isPublished","updatedAt")
     SELECT gen_random_uuid(), 'Spettacolo ' || g, 'spettacolo-' || g, 'Una commedia in due atti, numero ' || g,
            repeat('Descrizione dello spettacolo. ', 40), true, now()
     FROM generate_series(1, $1::int) g
     RETURNING "id"::text AS id, "slug"`,
    [shows],
  );
  await pool.query(
    `INSERT INTO "Performance" ("id","showId","venueId","startsAt","roomCapacity","updatedAt")
     SELECT gen_random_uuid(), s."id", $1::uuid, now() + (g || ' days')::interval + interval '20 hours', 120, now()
     FROM "Show" s, generate_series(1, $2::int) g`,
    [venueId, perShow],
  );
  return { venueId, shows: rows.rows };
}

/** One bookable performance of `capacity` seats, starting `startsInHours` from now. */
export async function createPerformance(pool: pg.Pool, c: Catalogue, capacity: number, startsInHours: number, showIndex = 0): Promise<string> {
  const r = await pool.query(
    `INSERT INTO "Performance" ("id","showId","venueId","startsAt","roomCapacity","updatedAt")
     VALUES (gen_random_uuid(), $1::uuid, $2::uuid, now() + ($3 || ' hours')::interval, $4, now())
     RETURNING "id"::text AS id`,
    [c.shows[showIndex]!.id, c.venueId, String(startsInHours), capacity],
  );
  return r.rows[0].id;
}

/**
 * `count` pending reservations (1-4 seats) each with a live confirmation token whose raw
 * value is `${prefix}${i}`: what the pg baseline confirms.
 */
export function insertPendingWithTokens(pool: pg.Pool, performanceId: string, count: number, prefix: string): Promise<string[]> {
  return insertWithTokens(pool, performanceId, count, prefix, { status: "pending", purpose: "confirmation", name: "Baseline", mailbox: "baseline" });
}

/** `count` confirmed reservations with ticket tokens `${prefix}${i}` (the door baseline's tickets). */
export function insertConfirmedTickets(pool: pg.Pool, performanceId: string, count: number, prefix: string): Promise<string[]> {
  return insertWithTokens(pool, performanceId, count, prefix, { status: "confirmed", purpose: "check_in", name: "Door", mailbox: "door" });
}

/**
 * A sold-out performance for the waiting-list scenario: `seats` confirmed holders of one
 * seat each, with ticket tokens `${prefix}${i}` (returned, for tickets.cancel), and
 * `entries` verified waiting-list entries of 1-3 people in queue order.
 */
export async function insertSoldOutWithWaitlist(pool: pg.Pool, performanceId: string, seats: number, entries: number, prefix: string): Promise<string[]> {
  await pool.query(
    `WITH r AS (
       INSERT INTO "Reservation" ("id","performanceId","status","name","email","partySize","confirmedAt","updatedAt")
       SELECT gen_random_uuid(), $1::uuid, 'confirmed', 'Holder ' || g, 'holder' || g || '@bench.test', 1, now(), now()
       FROM generate_series(1, $2::int) g
       RETURNING "id", "email")
     INSERT INTO "ReservationToken" ("id","reservationId","purpose","tokenHash","expiresAt")
     SELECT gen_random_uuid(), r."id", 'check_in', encode(sha256(convert_to($3 || substring(r."email" from 'holder([0-9]+)@'), 'UTF8')), 'hex'), now() + interval '7 days'
     FROM r`,
    [performanceId, seats, prefix],
  );
  await pool.query(
    `INSERT INTO "WaitlistEntry" ("id","performanceId","status","name","email","partySize","queueRank","confirmedAt","updatedAt")
     SELECT gen_random_uuid(), $1::uuid, 'waiting', 'Waiting ' || g, 'waiting' || g || '@bench.test', 1 + ((g * 7) % 3), g,
            now() - interval '1 hour' + g * interval '1 millisecond', now()
     FROM generate_series(1, $2::int) g`,
    [performanceId, entries],
  );
  return Array.from({ length: seats }, (_, i) => `${prefix}${i + 1}`);
}

/**
 * `count` reservations named `${name} ${i}` at `${mailbox}${i}@bench.test`, each with one
 * token of `purpose` whose raw value is `${prefix}${i}`; returns the raw tokens.
 */
async function insertWithTokens(
  pool: pg.Pool,
  performanceId: string,
  count: number,
  prefix: string,
  kind: { status: "pending" | "confirmed"; purpose: "confirmation" | "check_in"; name: string; mailbox: string },
): Promise<string[]> {
  await pool.query(
    `WITH r AS (
       INSERT INTO "Reservation" ("id","performanceId","status","name","email","partySize","confirmedAt","updatedAt")
       SELECT gen_random_uuid(), $1::uuid, $4::text::"ReservationStatus", $5::text || ' ' || g, $6::text || g || '@bench.test', 1 + (g % 4),
              CASE WHEN $4::text = 'confirmed' THEN now() END, now()
       FROM generate_series(1, $2::int) g
       RETURNING "id", "email")
     INSERT INTO "ReservationToken" ("id","reservationId","purpose","tokenHash","expiresAt")
     SELECT gen_random_uuid(), r."id", $7::text::"TokenPurpose",
            encode(sha256(convert_to($3 || substring(r."email" from $6::text || '([0-9]+)@'), 'UTF8')), 'hex'),
            now() + interval '1 day'
     FROM r`,
    [performanceId, count, prefix, kind.status, kind.name, kind.mailbox, kind.purpose],
  );
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
}

/**
 * Growth: `reservations` rows spread over `performances` new performances (past and
 * future), in one statement, with a confirmation or ticket token each and check-ins for
 * a third of the confirmed ones. Statuses mix as in real life.
 */
export async function insertGrowth(pool: pg.Pool, c: Catalogue, performances: number, reservations: number): Promise<void> {
  await pool.query(
    `WITH p AS (
       INSERT INTO "Performance" ("id","showId","venueId","startsAt","roomCapacity","updatedAt")
       SELECT gen_random_uuid(), (SELECT "id" FROM "Show" ORDER BY "slug" OFFSET (g % $3::int) LIMIT 1), $4::uuid,
              now() + ((g - $1::int / 2) || ' days')::interval, 1000, now()
       FROM generate_series(1, $1::int) g
       RETURNING "id"),
     pn AS (SELECT "id", row_number() OVER () AS n FROM p),
     r AS (
       INSERT INTO "Reservation" ("id","performanceId","status","name","email","partySize","confirmedAt","createdAt","updatedAt")
       SELECT gen_random_uuid(), pn."id",
              (CASE WHEN g % 10 < 6 THEN 'confirmed' WHEN g % 10 < 8 THEN 'pending' WHEN g % 10 < 9 THEN 'cancelled' ELSE 'expired' END)::"ReservationStatus",
              'Growth ' || g, 'growth' || g || '@bench.test', 1 + (g % 3),
              CASE WHEN g % 10 < 6 THEN now() ELSE NULL END, now() - (g % 1000 || ' minutes')::interval, now()
       FROM generate_series(1, $2::int) g JOIN pn ON pn.n = 1 + (g % $1::int)
       RETURNING "id", "status"),
     t AS (
       INSERT INTO "ReservationToken" ("id","reservationId","purpose","tokenHash","expiresAt","usedAt")
       SELECT gen_random_uuid(), r."id",
              CASE WHEN r."status" = 'confirmed' THEN 'check_in'::"TokenPurpose" ELSE 'confirmation'::"TokenPurpose" END,
              encode(sha256(convert_to(r."id"::text, 'UTF8')), 'hex'), now() + interval '1 day', NULL
       FROM r RETURNING "reservationId")
     SELECT count(*) FROM t`,
    [performances, reservations, c.shows.length, c.venueId],
  );
  const staff = await ensureStaffUsers(pool, 1);
  await pool.query(
    `INSERT INTO "CheckIn" ("id","reservationId","checkedInById","source","updatedAt")
     SELECT gen_random_uuid(), r."id", $1::uuid, 'qr_scan', now() FROM "Reservation" r
     WHERE r."status" = 'confirmed' AND r."email" LIKE 'growth%' AND (hashtext(r."id"::text) % 3) = 0
     ON CONFLICT DO NOTHING`,
    [staff[0]],
  );
  await pool.query(`ANALYZE`);
}

/** Staff users (no password login needed: the bench gives them sessions directly). */
export async function ensureStaffUsers(pool: pg.Pool, count: number): Promise<string[]> {
  const r = await pool.query(
    `INSERT INTO "User" ("id","email","name","role","passwordHash","updatedAt")
     SELECT gen_random_uuid(), 'door' || g || '@staff.bench.test', 'Porta ' || g, 'staff', 'x', now()
     FROM generate_series(1, $1::int) g
     ON CONFLICT ("email") DO UPDATE SET "updatedAt" = now()
     RETURNING "id"::text AS id`,
    [count],
  );
  return r.rows.map((x) => x.id);
}

/** Lucia-guide session rows for the users; returns the raw cookie tokens. */
export async function createSessions(pool: pg.Pool, userIds: string[], generate: () => string, idOf: (t: string) => string): Promise<string[]> {
  const tokens: string[] = [];
  for (const userId of userIds) {
    const token = generate();
    await pool.query(`INSERT INTO "Session" ("id","userId","expiresAt") VALUES ($1, $2::uuid, now() + interval '1 day')`, [idOf(token), userId]);
    tokens.push(token);
  }
  return tokens;
}
