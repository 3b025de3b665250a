import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { assertDatabaseUrl, DatabaseSetupError, describeConnectionError } from "./errors.ts";
import { dataDir } from "./paths.ts";
import { isAlive } from "./pid.ts";
import { pgliteSession, pgSession, type SqlSession } from "./sql.ts";

export type Database = {
  prisma: PrismaClient;
  /** "postgres" for DATABASE_URL, "embedded" for PGlite under .data/. */
  kind: "postgres" | "embedded";
  /** A raw SQL session on the same database (migrations, health checks). */
  openSqlSession(): Promise<SqlSession>;
  close(): Promise<void>;
};

export interface DatabaseOptions {
  /** A PostgreSQL URL; undefined selects the embedded database. */
  url?: string;
  /** Connection pool size per process (real PostgreSQL only). */
  poolSize?: number;
  /** Directory of the embedded database; defaults to .data/pglite. */
  embeddedDir?: string;
  /** An already open PGlite (tests use an in-memory one). */
  pglite?: PGlite;
}

/** Opens the database: PostgreSQL through @prisma/adapter-pg, else the embedded PGlite. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) {
    const url = options.url;
    assertDatabaseUrl(url);
    const adapter = new PrismaPg({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    const prisma = new PrismaClient({ adapter });
    try {
      await prisma.$queryRawUnsafe("SELECT 1");
    } catch (error) {
      await prisma.$disconnect().catch(() => {});
      throw describeConnectionError(url, error);
    }
    return {
      prisma,
      kind: "postgres",
      openSqlSession: async () => {
        try {
          return await pgSession(url);
        } catch (error) {
          throw describeConnectionError(url, error);
        }
      },
      close: () => prisma.$disconnect(),
    };
  }
  // The embedded database's modules load only when it is used: a process on PostgreSQL
  // (every production process) never keeps PGlite's JavaScript in memory.
  const [{ PGlite: EmbeddedPostgres }, { PrismaPGlite }] = await Promise.all([import("@electric-sql/pglite"), import("pglite-prisma-adapter")]);
  const owned = !options.pglite;
  const dir = options.embeddedDir ?? join(dataDir(), "pglite");
  const release = owned ? lockEmbeddedDir(dir) : () => {};
  let pglite: PGlite;
  try {
    pglite = options.pglite ?? (await EmbeddedPostgres.create(dir));
  } catch (error) {
    release();
    throw new DatabaseSetupError(`Cannot open the embedded database in ${dir}: ${(error as Error).message}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    kind: "embedded",
    openSqlSession: async () => pgliteSession(pglite),
    close: async () => {
      await prisma.$disconnect();
      if (owned) {
        await pglite.close();
        release();
      }
    },
  };
}

/**
 * PGlite is single-process: two processes opening one directory would corrupt it.
 * A pid file turns that mistake into a clear message.
 */
function lockEmbeddedDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lockFile = join(dir, "..", `${dir.split("/").pop()}.pid`);
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, "utf8"));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new DatabaseSetupError(`The embedded database in ${dir} is in use by process ${pid}. Stop it first, or set DATABASE_URL to a PostgreSQL server.`);
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

const GLOBAL_KEY = Symbol.for("sipario.database");
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<Database> };

/**
 * The process-wide database, opened once from DATABASE_URL. Kept on globalThis so the
 * site and the back-office share one connection (and one embedded PGlite) when
 * `npm start` runs both in one process, and so Vite's dev reloads do not leak pools.
 */
export function getDatabase(): Promise<Database> {
  const g = globalThis as GlobalWithDb;
  g[GLOBAL_KEY] ??= openDatabase({
    url: process.env.DATABASE_URL || undefined,
    poolSize: process.env.DATABASE_POOL_SIZE ? Number(process.env.DATABASE_POOL_SIZE) : undefined,
  }).catch((error) => {
    delete g[GLOBAL_KEY];
    throw error;
  });
  return g[GLOBAL_KEY];
}

/** Shares an already opened database as the process-wide one (the launcher, tests). */
export function setDatabase(db: Database): void {
  (globalThis as GlobalWithDb)[GLOBAL_KEY] = Promise.resolve(db);
}

export async function closeDatabase(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const pending = g[GLOBAL_KEY];
  delete g[GLOBAL_KEY];
  if (pending) await (await pending).close();
}
