import { createHash, randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { openDatabase, setDatabase, type Database } from "../client.ts";
import { applyMigrations, listMigrations } from "../migrate.ts";
import { pgliteSession, pgSession } from "../sql.ts";

/**
 * Test databases. Each test file gets its own database, cloned from a migrated
 * template, so files never see each other's data. Which server: TEST_DATABASE_URL when
 * set, else PostgreSQL on 127.0.0.1:5432 if it answers, else embedded PGlite (which
 * cannot show races: tests that need concurrency ask `requireRealPostgres()`).
 */

const LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export type TestServer = { kind: "postgres"; adminUrl: string; source: string } | { kind: "pglite"; source: string };

let serverPromise: Promise<TestServer> | undefined;
export function testServer(): Promise<TestServer> {
  serverPromise ??= (async (): Promise<TestServer> => {
    if (process.env.TEST_DATABASE_URL) {
      return { kind: "postgres", adminUrl: process.env.TEST_DATABASE_URL, source: "TEST_DATABASE_URL" };
    }
    const client = new pg.Client({ connectionString: LOCAL_URL, connectionTimeoutMillis: 1500 });
    try {
      await client.connect();
      await client.end();
      return { kind: "postgres", adminUrl: LOCAL_URL, source: "local server on 127.0.0.1:5432" };
    } catch {
      return { kind: "pglite", source: "embedded PGlite (no PostgreSQL answered)" };
    }
  })();
  return serverPromise;
}

export function describeTestServer(server: TestServer): string {
  return server.kind === "postgres"
    ? `tests use PostgreSQL: ${server.source} (${new URL(server.adminUrl).host})`
    : `tests use ${server.source}; race tests need PostgreSQL and will be skipped`;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** One migrated template per migrations checksum; cloning it is much faster than migrating. */
async function ensureTemplate(adminUrl: string): Promise<string> {
  const migrations = listMigrations();
  const digest = createHash("sha256")
    .update(migrations.map((m) => m.checksum).join())
    .digest("hex")
    .slice(0, 12);
  const template = `sipario_tpl_${digest}`;
  const admin = await pgSession(adminUrl);
  try {
    await admin.query("SELECT pg_advisory_lock(727073)");
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (exists.length === 0) {
      await admin.exec(`CREATE DATABASE "${template}"`);
      const session = await pgSession(withDatabase(adminUrl, template));
      try {
        await applyMigrations(session, migrations);
      } finally {
        await session.close();
      }
    }
    await admin.query("SELECT pg_advisory_unlock(727073)");
  } finally {
    await admin.close();
  }
  return template;
}

export type TestDatabase = Database & {
  /** The PostgreSQL URL of this test database (null on PGlite). */
  url: string | null;
  name: string;
  server: TestServer;
  /** Closes connections and drops the database. */
  drop(): Promise<void>;
};

/** A fresh, migrated, empty database of its own. Call `drop()` in afterAll. */
export async function createTestDatabase(options: { poolSize?: number; setGlobal?: boolean } = {}): Promise<TestDatabase> {
  const server = await testServer();
  const name = `sipario_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  if (server.kind === "pglite") {
    const pglite = new PGlite();
    await applyMigrations(pgliteSession(pglite));
    const db = await openDatabase({ pglite });
    const testDb: TestDatabase = {
      ...db,
      url: null,
      name,
      server,
      drop: async () => {
        await db.close();
        await pglite.close();
      },
    };
    if (options.setGlobal !== false) setDatabase(testDb);
    return testDb;
  }
  const template = await ensureTemplate(server.adminUrl);
  const admin = await pgSession(server.adminUrl);
  try {
    await admin.exec(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.close();
  }
  const url = withDatabase(server.adminUrl, name);
  const db = await openDatabase({ url, poolSize: options.poolSize ?? 10 });
  const testDb: TestDatabase = {
    ...db,
    url,
    name,
    server,
    drop: async () => {
      await db.close();
      const session = await pgSession(server.adminUrl);
      try {
        await session.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await session.close();
      }
    },
  };
  if (options.setGlobal !== false) setDatabase(testDb);
  return testDb;
}

/** For tests that prove concurrency: PGlite runs one query at a time and cannot. */
export async function requireRealPostgres(): Promise<boolean> {
  return (await testServer()).kind === "postgres";
}

export { factories } from "./factories.ts";
