import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/**
 * The few raw-SQL operations the migration runner and test helpers need, over either
 * a real PostgreSQL connection or the embedded PGlite.
 */
export interface SqlSession {
  /** Runs one or more statements (no parameters). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function pgSession(url: string): Promise<SqlSession> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async query(sql, params) {
      return (await client.query(sql, params as unknown[])).rows;
    },
    async close() {
      await client.end();
    },
  };
}

export function pgliteSession(db: PGlite, { closeDb = false } = {}): SqlSession {
  return {
    async exec(sql) {
      await db.exec(sql);
    },
    async query(sql, params) {
      return (await db.query(sql, params as unknown[])).rows as never[];
    },
    async close() {
      if (closeDb) await db.close();
    },
  };
}
