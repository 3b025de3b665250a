import { randomUUID } from "node:crypto";
import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, generateSessionToken } from "../auth/session.service.ts";
import { type ApiProcess, spawnApiServer } from "../testing/api-process.ts";
import { callHttp, ticket } from "./checkin.fixtures.ts";

/**
 * Four doors come back online at the same instant and sync overlapping batches of offline
 * scans (each ticket admitted at three of the four doors), split across TWO server
 * processes on one PostgreSQL. One CheckIn per ticket, held by its earliest scan, and
 * every other admission reported as a conflict. The control run injects the naive
 * read-then-insert writer (testing/unsafe-checkin.ts, through testing/serve.ts) on a
 * database without the unique index, and shows the duplicates it writes.
 */
const DEVICES = 4;
const TICKETS = 16;
const realPg = await requireRealPostgres();
type Server = ApiProcess;
type Scan = { id: string; token: string; scannedAt: string };

async function doorSessions(db: TestDatabase) {
  return Promise.all(
    Array.from({ length: DEVICES }, async (_, d) => {
      const user = await db.prisma.user.create({
        data: { email: `door-${d}-${randomUUID()}@example.org`, name: `Door ${d}`, role: "staff", passwordHash: "unused" },
      });
      const cookie = generateSessionToken();
      await createSession(db.prisma, cookie, user.id, { SESSION_TTL_DAYS: 1 });
      return cookie;
    }),
  );
}

/** Each ticket is scanned by every door but one; scan times differ, and which door was first varies. */
async function batches(db: TestDatabase) {
  const performance = await factories.performance(db.prisma, { startsAt: new Date() });
  const tickets = await Promise.all(Array.from({ length: TICKETS }, () => ticket(db.prisma, { performanceId: performance.id })));
  const now = Date.now();
  const perDevice: Scan[][] = Array.from({ length: DEVICES }, () => []);
  const earliest = new Map<string, Scan>(); // reservationId -> the scan that must win
  tickets.forEach((t, i) => {
    for (let d = 0; d < DEVICES; d++) {
      if (d === i % DEVICES) continue;
      // Minutes ago: distinct per (ticket, door), the earliest door rotating with i.
      const minutesAgo = ((d + i) % DEVICES) * 3 + 1 + d / 10;
      const scan = { id: randomUUID(), token: t.token, scannedAt: new Date(now - minutesAgo * 60_000).toISOString() };
      perDevice[d]!.push(scan);
      const best = earliest.get(t.reservation.id);
      if (!best || scan.scannedAt < best.scannedAt) earliest.set(t.reservation.id, scan);
    }
  });
  return { performanceId: performance.id, tickets, perDevice, earliest };
}

async function syncAll(servers: Server[], cookies: string[], perDevice: Scan[][]) {
  // Warm each server's pool so the burst is not serialised by connection setup.
  await Promise.all(servers.map((s) => callHttp(s.url, "auth.me", "query", undefined, cookies[0])));
  return Promise.all(
    perDevice.map((scans, d) => callHttp(servers[d % servers.length]!.url, "checkin.sync", "mutation", { deviceId: `race-door-${d}`, scans }, cookies[d])),
  );
}

describe.skipIf(!realPg)("checkin.sync race: four doors, two processes", () => {
  let db: TestDatabase;
  let control: TestDatabase;
  const servers: Server[] = [];
  const controlServers: Server[] = [];

  beforeAll(async () => {
    [db, control] = await Promise.all([createTestDatabase(), createTestDatabase({ setGlobal: false })]);
    // Two at a time: four processes loading at once on a busy machine can take minutes.
    servers.push(...(await Promise.all([spawnApiServer(db.url!), spawnApiServer(db.url!)])));
    controlServers.push(
      ...(await Promise.all([
        spawnApiServer(control.url!, { env: { SERVE_UNSAFE: "sync" } }),
        spawnApiServer(control.url!, { env: { SERVE_UNSAFE: "sync" } }),
      ])),
    );
  }, 240_000);
  afterAll(async () => {
    await Promise.all([...servers, ...controlServers].map((s) => s.stop()));
    await Promise.all([db?.drop(), control?.drop()]);
  });

  it("one CheckIn per ticket, held by the earliest scan; every other admission is a conflict, exactly", async () => {
    const cookies = await doorSessions(db);
    const { performanceId, tickets, perDevice, earliest } = await batches(db);
    const responses = await syncAll(servers, cookies, perDevice);
    expect(
      responses.map((r) => r.status),
      JSON.stringify(responses.find((r) => r.status !== 200)?.body),
    ).toEqual([200, 200, 200, 200]);

    const results = new Map<string, { outcome: string; conflict?: boolean }>();
    for (const r of responses) for (const x of r.body.result.data.results) results.set(x.id, x);
    const allScans = perDevice.flat();
    expect(results.size).toBe(allScans.length);

    const checkIns = await db.prisma.checkIn.findMany({ where: { reservation: { performanceId } } });
    expect(checkIns).toHaveLength(TICKETS);
    for (const t of tickets) {
      const winner = earliest.get(t.reservation.id)!;
      const row = checkIns.find((c) => c.reservationId === t.reservation.id)!;
      expect(row.scanId).toBe(winner.id);
      expect(row.checkedInAt.toISOString()).toBe(winner.scannedAt);
      // The earliest scan was told "checked in", whatever order the scans arrived in.
      expect(results.get(winner.id)!.outcome).toBe("checked_in");
    }
    // A scan answered "already checked in" is always a conflict, and never the winner.
    const winners = new Set([...earliest.values()].map((s) => s.id));
    for (const [id, r] of results) {
      if (r.outcome === "already_checked_in") {
        expect(r.conflict).toBe(true);
        expect(winners.has(id)).toBe(false);
      } else expect(r.outcome, JSON.stringify(r)).toBe("checked_in");
    }

    // The report: every ticket, its three admissions, exactly one holding it (the earliest).
    const stored = await db.prisma.doorScan.findMany({ where: { id: { in: allScans.map((s) => s.id) } } });
    expect(stored).toHaveLength(allScans.length);
    expect(stored.every((s) => s.conflict)).toBe(true);
    expect(
      stored
        .filter((s) => s.outcome === "checked_in")
        .map((s) => s.id)
        .sort(),
    ).toEqual([...winners].sort());
    const report = await callHttp(servers[0]!.url, "checkin.conflicts", "query", { performanceId }, cookies[0]);
    const items = report.body.result.data.items as { reservationId: string; scans: { id: string; holds: boolean }[] }[];
    expect(items).toHaveLength(TICKETS);
    for (const item of items) {
      expect(item.scans).toHaveLength(DEVICES - 1);
      expect(item.scans.filter((s) => s.holds).map((s) => s.id)).toEqual([earliest.get(item.reservationId)!.id]);
    }

    // The same four batches again, at once: all duplicates, nothing changes.
    const again = await syncAll(servers, cookies, perDevice);
    const outcomes = again.flatMap((r) => r.body.result.data.results.map((x: { outcome: string }) => x.outcome));
    expect(new Set(outcomes)).toEqual(new Set(["duplicate"]));
    expect(await db.prisma.checkIn.count({ where: { reservation: { performanceId } } })).toBe(TICKETS);
    expect(await db.prisma.doorScan.count({ where: { id: { in: allScans.map((s) => s.id) } } })).toBe(allScans.length);
  }, 180_000);

  it("control: the read-then-insert writer without the unique index writes duplicate CheckIns", async () => {
    await control.prisma.$executeRawUnsafe(`DROP INDEX "CheckIn_reservationId_key"`);
    const cookies = await doorSessions(control);
    // A race is probabilistic: up to 5 rounds, stopping at the first that shows it.
    let duplicated = 0;
    for (let round = 1; round <= 5 && duplicated === 0; round++) {
      const { performanceId, perDevice } = await batches(control);
      const responses = await syncAll(controlServers, cookies, perDevice);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const counts = await control.prisma.checkIn.groupBy({ by: ["reservationId"], where: { reservation: { performanceId } }, _count: true });
      duplicated = counts.filter((c) => c._count > 1).length;
    }
    expect(duplicated, "no round wrote a second CheckIn for one ticket").toBeGreaterThan(0);
  }, 180_000);
});
