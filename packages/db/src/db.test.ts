import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, listMigrations } from "./migrate.ts";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { describeHistory, diagnoseMigrationHistory, diffMigrationsToSchema } from "./schema-engine.ts";
import { pgErrorOf } from "./errors.ts";
import { seed } from "./seed.ts";
import { pgliteSession } from "./sql.ts";
import { createTestDatabase, factories, type TestDatabase } from "./testing/index.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Runs a statement and returns the PostgreSQL error code it failed with. */
async function sqlErrorCode(sql: string, params: unknown[] = []): Promise<string | undefined> {
  const session = await db.openSqlSession();
  try {
    await session.query(sql, params);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  } finally {
    await session.close();
  }
}

describe("migrations", () => {
  it("a second run applies nothing", async () => {
    const session = await db.openSqlSession();
    try {
      const again = await applyMigrations(session);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBe(listMigrations().length);
      const rows = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(rows[0]!.n).toBe(listMigrations().length);
    } finally {
      await session.close();
    }
  });

  it("schema.prisma and the committed migrations agree (no missing migration)", async () => {
    // The WASM schema engine replays the migrations into a shadow PGlite and diffs.
    const sql = await diffMigrationsToSchema(listMigrations());
    expect(sql.replace(/^-- This is an empty migration\.?$/m, "").trim()).toBe("");
  });

  it("db:migrate:status's diagnosis: in step, then a pending and an edited migration are named", async () => {
    // On the PGlite fallback, a migrated in-memory database of its own stands in.
    const pglite = db.url ? undefined : new PGlite();
    if (pglite) await applyMigrations(pgliteSession(pglite));
    const adapter = () => (db.url ? new PrismaPg({ connectionString: db.url, max: 1 }) : new PrismaPGlite(pglite!));
    const committed = listMigrations();
    expect(describeHistory(await diagnoseMigrationHistory(adapter(), committed))).toEqual([]);

    const [first, ...rest] = committed;
    const pending = { name: "29991231000000_not_applied", sql: "SELECT 1;", checksum: "" };
    const edited = { ...first!, sql: `${first!.sql}\n-- edited` };
    const problems = describeHistory(await diagnoseMigrationHistory(adapter(), [edited, ...rest, pending]));
    expect(problems).toContain(`Migration ${first!.name} was edited after it was applied.`);
    expect(problems).toContain("Migration 29991231000000_not_applied is not applied yet: run `npm run db:migrate`.");
    await pglite?.close();
  });

  it("refuses a migration edited after it was applied", async () => {
    const session = await db.openSqlSession();
    try {
      const [first, ...rest] = listMigrations();
      const edited = { ...first!, checksum: "0".repeat(64) };
      await expect(applyMigrations(session, [edited, ...rest])).rejects.toThrow(/edited after it was applied/);
    } finally {
      await session.close();
    }
  });
});

describe("database constraints", () => {
  it("rejects manually occupied seats above room capacity plus additional seats", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 10, additionalSeats: 2 });
    expect(await sqlErrorCode(`UPDATE "Performance" SET "manuallyOccupiedSeats" = 13 WHERE id = $1`, [p.id])).toBe("23514");
    expect(await sqlErrorCode(`UPDATE "Performance" SET "manuallyOccupiedSeats" = 12 WHERE id = $1`, [p.id])).toBeUndefined();
  });

  it("lets only a box-office reservation go without an email, and only in a known language", async () => {
    const p = await factories.performance(db.prisma);
    const r = await factories.reservation(db.prisma, { performanceId: p.id });
    expect(await sqlErrorCode(`UPDATE "Reservation" SET "email" = NULL WHERE id = $1`, [r.id])).toBe("23514");
    expect(await sqlErrorCode(`UPDATE "Reservation" SET "email" = NULL, "source" = 'box_office' WHERE id = $1`, [r.id])).toBeUndefined();
    expect(await sqlErrorCode(`UPDATE "Reservation" SET "locale" = 'fr' WHERE id = $1`, [r.id])).toBe("23514");
    expect(await sqlErrorCode(`UPDATE "Reservation" SET "locale" = 'en' WHERE id = $1`, [r.id])).toBeUndefined();
  });

  it("keeps a performance's cancellation time and status together, and its on-sale window ordered", async () => {
    const p = await factories.performance(db.prisma);
    expect(await sqlErrorCode(`UPDATE "Performance" SET "status" = 'cancelled' WHERE id = $1`, [p.id])).toBe("23514");
    expect(await sqlErrorCode(`UPDATE "Performance" SET "status" = 'cancelled', "cancelledAt" = now() WHERE id = $1`, [p.id])).toBeUndefined();
    expect(await sqlErrorCode(`UPDATE "Performance" SET "bookingOpensAt" = now(), "bookingClosesAt" = now() - interval '1 hour' WHERE id = $1`, [p.id])).toBe(
      "23514",
    );
  });

  it("rejects negative capacity numbers", async () => {
    const p = await factories.performance(db.prisma);
    for (const column of ["roomCapacity", "additionalSeats", "manuallyOccupiedSeats"]) {
      expect(await sqlErrorCode(`UPDATE "Performance" SET "${column}" = -1 WHERE id = $1`, [p.id]), column).toBe("23514");
    }
  });

  it("rejects a duplicate show or venue slug", async () => {
    const show = await factories.show(db.prisma);
    await expect(factories.show(db.prisma, { slug: show.slug })).rejects.toMatchObject({ code: "P2002" });
    const venue = await factories.venue(db.prisma);
    await expect(factories.venue(db.prisma, { slug: venue.slug })).rejects.toMatchObject({ code: "P2002" });
  });

  it("rejects a second CheckIn for one reservation", async () => {
    const p = await factories.performance(db.prisma);
    const r = await factories.reservation(db.prisma, { performanceId: p.id, status: "confirmed" });
    const { user } = await factories.user(db.prisma);
    await db.prisma.checkIn.create({ data: { reservationId: r.id, checkedInById: user.id } });
    await expect(db.prisma.checkIn.create({ data: { reservationId: r.id, checkedInById: user.id } })).rejects.toMatchObject({
      code: "P2002",
    });
  });

  it("rejects a party size below one", async () => {
    const p = await factories.performance(db.prisma);
    const r = await factories.reservation(db.prisma, { performanceId: p.id });
    expect(await sqlErrorCode(`UPDATE "Reservation" SET "partySize" = 0 WHERE id = $1`, [r.id])).toBe("23514");
  });

  it("does not let a performance with reservations be deleted", async () => {
    const p = await factories.performance(db.prisma);
    await factories.reservation(db.prisma, { performanceId: p.id });
    expect(await sqlErrorCode(`DELETE FROM "Performance" WHERE id = $1`, [p.id])).toBe("23503");
  });

  it("rejects a duplicate token hash", async () => {
    const p = await factories.performance(db.prisma);
    const r = await factories.reservation(db.prisma, { performanceId: p.id });
    const data = { reservationId: r.id, purpose: "confirmation" as const, tokenHash: "a".repeat(64), expiresAt: new Date() };
    await db.prisma.reservationToken.create({ data });
    await expect(db.prisma.reservationToken.create({ data })).rejects.toMatchObject({ code: "P2002" });
  });
});

describe("pgErrorOf", () => {
  it("finds PostgreSQL's code and the adapter's kind inside Prisma's errors", async () => {
    const show = await factories.show(db.prisma);
    const duplicate = await factories.show(db.prisma, { slug: show.slug }).catch((error: unknown) => error);
    expect(pgErrorOf(duplicate)).toMatchObject({ code: "23505", kind: "UniqueConstraintViolation" });
    const malformed = await db.prisma.$queryRaw`SELECT ${"not-a-uuid"}::uuid`.catch((error: unknown) => error);
    expect(pgErrorOf(malformed)?.code).toBe("22P02");
  });

  it("reads a bare DriverAdapterError (commit, rollback) and answers null for anything else", () => {
    const bare = Object.assign(new Error("adapter"), { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } });
    expect(pgErrorOf(bare)).toEqual({ code: undefined, kind: "ConnectionClosed", constraint: undefined });
    expect(pgErrorOf(new Error("plain"))).toBeNull();
    expect(pgErrorOf(undefined)).toBeNull();
  });
});

describe("seed", () => {
  it("is idempotent: a second run leaves the same row counts", async () => {
    const counts = async () => ({
      shows: await db.prisma.show.count(),
      venues: await db.prisma.venue.count(),
      performances: await db.prisma.performance.count(),
      reservations: await db.prisma.reservation.count(),
      pages: await db.prisma.page.count(),
      settings: await db.prisma.siteSetting.count(),
    });
    await seed(db.prisma);
    const first = await counts();
    await seed(db.prisma);
    expect(await counts()).toEqual(first);
    const published = await db.prisma.show.count({ where: { isPublished: true, slug: { in: ["le-serve", "aspettando-godot", "sei-personaggi"] } } });
    expect(published).toBe(3);
    const statuses = await db.prisma.reservation.groupBy({
      by: ["status"],
      where: { performance: { show: { slug: { in: ["le-serve", "aspettando-godot", "sei-personaggi"] } } } },
    });
    expect(statuses.map((s) => s.status).sort()).toEqual(["cancelled", "confirmed", "expired", "pending"]);
  });
});
