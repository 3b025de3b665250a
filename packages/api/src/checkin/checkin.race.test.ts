import { createTestDatabase, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createSession, generateSessionToken } from "../auth/session.service.ts";
import { type ApiProcess, spawnApiServer } from "../testing/api-process.ts";
import { callHttp, ticket } from "./checkin.fixtures.ts";

/**
 * 30 simultaneous checkin.confirm for one ticket, split across TWO server processes on one
 * PostgreSQL, each from a different staff member (so the same-person retry rule cannot
 * hide a duplicate). The control run's servers insert the naive way instead
 * (testing/unsafe-checkin.ts, through SERVE_UNSAFE=checkin of testing/serve.ts) to prove
 * the test can fail.
 */
const REQUESTS = 30;
const realPg = await requireRealPostgres();

type Server = ApiProcess;

/** Every request names the door's performance, as the scanner does (the one-statement road). */
async function fire(db: TestDatabase, servers: Server[], token: string, performanceId: string) {
  // Sessions are made directly (no password hashing): the race is about confirm, not login.
  const cookies = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const user = await db.prisma.user.create({
        data: { email: `door-${i}-${randomUUID()}@example.org`, name: `Door ${i}`, role: "staff", passwordHash: "unused" },
      });
      const cookie = generateSessionToken();
      await createSession(db.prisma, cookie, user.id, { SESSION_TTL_DAYS: 1 });
      return cookie;
    }),
  );
  // Warm each server's connection pool so the burst is not serialised by connection setup.
  await Promise.all(servers.map((s) => callHttp(s.url, "auth.me", "query", undefined, cookies[0])));
  const responses = await Promise.all(
    cookies.map((cookie, i) => callHttp(servers[i % servers.length]!.url, "checkin.confirm", "mutation", { token, performanceId }, cookie)),
  );
  return {
    ok: responses.filter((r) => r.status === 200 && r.body.result?.data?.status === "checked_in"),
    duplicates: responses.filter((r) => r.status === 409 && r.body.error?.data?.reason === "already_checked_in"),
    serverErrors: responses.filter((r) => r.status >= 500),
    all: responses,
  };
}

describe.skipIf(!realPg)("checkin.confirm race across two processes", () => {
  let db: TestDatabase;
  let control: TestDatabase;
  const servers: Server[] = [];
  const controlServers: Server[] = [];

  beforeAll(async () => {
    [db, control] = await Promise.all([createTestDatabase(), createTestDatabase({ setGlobal: false })]);
    const started = await Promise.all([
      spawnApiServer(db.url!),
      spawnApiServer(db.url!),
      spawnApiServer(control.url!, { env: { SERVE_UNSAFE: "checkin" } }),
      spawnApiServer(control.url!, { env: { SERVE_UNSAFE: "checkin" } }),
    ]);
    servers.push(started[0], started[1]);
    controlServers.push(started[2], started[3]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([...servers, ...controlServers].map((s) => s.stop()));
    await Promise.all([db?.drop(), control?.drop()]);
  });

  it("exactly one CheckIn and one success; every other request is already_checked_in", async () => {
    const { token, reservation, performanceId } = await ticket(db.prisma, { partySize: 2 });
    const r = await fire(db, servers, token, performanceId);
    expect(r.serverErrors.map((e) => e.body)).toEqual([]);
    expect(r.ok).toHaveLength(1);
    expect(r.duplicates).toHaveLength(REQUESTS - 1);
    const rows = await db.prisma.checkIn.findMany({ where: { reservationId: reservation.id }, include: { checkedInBy: true } });
    expect(rows).toHaveLength(1);
    // Every loser names the winner.
    const winner = r.ok[0]!.body.result.data;
    expect(winner.checkedInBy).toBe(rows[0]!.checkedInBy.name);
    for (const d of r.duplicates) expect(d.body.error.data).toMatchObject({ checkedInBy: winner.checkedInBy, checkedInAt: winner.checkedInAt });
  });

  it("control: without the guard, read-then-insert lets several requests through", async () => {
    // A race is probabilistic: up to 20 bursts (fresh tickets), stopping at the first that
    // shows it. With the guard on (test above) no number of bursts may show it.
    // A quiet machine interleaves less, so a burst shows the race less often: allow more.
    const burst = async (seen: (r: Awaited<ReturnType<typeof fire>>, reservationId: string) => Promise<boolean>) => {
      for (let attempt = 1; attempt <= 20; attempt++) {
        const t = await ticket(control.prisma);
        const r = await fire(control, controlServers, t.token, t.performanceId);
        if (await seen(r, t.reservation.id)) return { ...r, reservationId: t.reservation.id, attempt };
      }
      return null;
    };

    // (a) With the unique index in place, the requests that slipped past the read hit it
    //     and fail with 500s: staff would see an unreadable error instead of "already in".
    const withIndex = await burst(async (r) => r.ok.length + r.serverErrors.length > 1);
    expect(withIndex, "no burst let two requests past the read").not.toBeNull();
    expect(withIndex!.ok).toHaveLength(1);
    expect(withIndex!.serverErrors.length).toBeGreaterThan(0);

    // (b) Without the unique index, the same code writes duplicate CheckIns and reports
    //     several successes: the race is real, and only the guarded path prevents it.
    await control.prisma.$executeRawUnsafe(`DROP INDEX "CheckIn_reservationId_key"`);
    const noIndex = await burst(async (_r, reservationId) => (await control.prisma.checkIn.count({ where: { reservationId } })) > 1);
    expect(noIndex, "no burst wrote a duplicate CheckIn").not.toBeNull();
    const rows = await control.prisma.checkIn.count({ where: { reservationId: noIndex!.reservationId } });
    expect(noIndex!.ok.length).toBeGreaterThan(1);
    expect(rows).toBe(noIndex!.ok.length);
  });
});
