import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seed } from "@sipario/db";
import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * deploy/backup.sh and deploy/restore-test.sh against the real PostgreSQL: back up a seeded
 * database, restore the dump into a scratch database, and compare the row counts.
 */

const root = join(import.meta.dirname, "..", "..");
const backupScript = join(root, "deploy", "backup.sh");
const restoreScript = join(root, "deploy", "restore-test.sh");
const havePgDump = spawnSync("pg_dump", ["--version"]).status === 0;

function run(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync("sh", [script, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function urlFor(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function tableCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) {
      const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`);
      counts[name] = Number(r.rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

async function dropDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

describe.runIf(havePgDump)("backup and restore", () => {
  let db: TestDatabase;
  let adminUrl: string;
  let dir: string;
  let dump: string;
  const scratch = `sipario_restore_test_${process.pid}_${Date.now().toString(36)}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), "sipario-backup-"));
    if (db.server.kind !== "postgres") return;
    adminUrl = db.server.adminUrl;
    await seed(db.prisma);
  });
  afterAll(async () => {
    if (adminUrl) await dropDatabase(adminUrl, scratch);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("backup.sh writes a timestamped custom-format dump and prunes old ones", async (ctx) => {
    if (db.server.kind !== "postgres") ctx.skip();
    const day = 86_400;
    const stale = join(dir, "sipario-20000101T000000Z.dump");
    const recent = join(dir, "sipario-20000102T000000Z.dump");
    const unrelated = join(dir, "notes.txt");
    for (const [file, age] of [
      [stale, 30 * day],
      [recent, 2 * day],
      [unrelated, 90 * day],
    ] as const) {
      writeFileSync(file, "x");
      const t = Date.now() / 1000 - age;
      utimesSync(file, t, t);
    }

    const result = run(backupScript, [dir], { DATABASE_URL: db.url!, BACKUP_KEEP_DAYS: "14" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    dump = result.stdout.trim();
    expect(dump).toMatch(/sipario-\d{8}T\d{6}Z\.dump$/);
    expect(readFileSync(dump).subarray(0, 5).toString()).toBe("PGDMP"); // pg_dump's custom format
    expect(existsSync(`${dump}.partial`)).toBe(false);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
    // The password-bearing URL is never echoed.
    expect(result.stdout).not.toContain(db.url!);
  });

  it("refuses to run without DATABASE_URL", () => {
    const result = run(backupScript, [dir], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("DATABASE_URL");
  });

  it("restore-test.sh restores the dump into a scratch database with the same row counts", async (ctx) => {
    if (db.server.kind !== "postgres" || !dump) ctx.skip();
    const result = run(restoreScript, [dump], {
      ADMIN_DATABASE_URL: adminUrl,
      COMPARE_DATABASE_URL: db.url!,
      RESTORE_DB_NAME: scratch,
      KEEP_RESTORE: "1",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("row counts equal the compared database");

    // Independently of the script: the seeded data is all there.
    const source = await tableCounts(db.url!);
    const restored = await tableCounts(urlFor(adminUrl, scratch));
    expect(source.Show).toBeGreaterThan(0);
    expect(source.Reservation).toBeGreaterThan(0);
    expect(source._prisma_migrations).toBeGreaterThan(0);
    expect(restored).toEqual(source);
    await dropDatabase(adminUrl, scratch);
  });

  it("restore-test.sh fails when the counts differ or the dump is damaged", async (ctx) => {
    if (db.server.kind !== "postgres" || !dump) ctx.skip();
    // A booking arrives after the backup: the comparison must notice.
    await db.prisma.show.create({ data: { title: "After the backup", slug: `after-backup-${Date.now()}` } });
    const differ = run(restoreScript, [dump], { ADMIN_DATABASE_URL: adminUrl, COMPARE_DATABASE_URL: db.url!, RESTORE_DB_NAME: `${scratch}_b` });
    expect(differ.status).toBe(1);
    expect(differ.stderr).toMatch(/row counts differ/);
    expect(differ.stderr).toMatch(/Show/);

    const damaged = join(dir, "damaged.dump");
    writeFileSync(damaged, readFileSync(dump).subarray(0, 2048));
    const broken = run(restoreScript, [damaged], { ADMIN_DATABASE_URL: adminUrl, RESTORE_DB_NAME: `${scratch}_c` });
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).not.toContain("restore OK");

    // The scratch databases were dropped (KEEP_RESTORE unset).
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const left = await client.query("SELECT datname FROM pg_database WHERE datname = ANY($1)", [[`${scratch}_b`, `${scratch}_c`]]);
      expect(left.rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
