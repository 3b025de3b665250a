import { factories, requireRealPostgres } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallResult } from "../../bench/lib/load.ts";
import { brokenInvariants } from "./invariants.ts";
import { startFaultSystem, type FaultSystem } from "./system.ts";

/**
 * The database connection cut during traffic: a TCP proxy in this test sits between two
 * server processes and PostgreSQL and drops every connection for a few seconds. Requests
 * meanwhile must fail fast with a retryable answer (503, reason "unavailable"), the
 * servers must come back by themselves, and no booking may be half-written.
 */

const real = await requireRealPostgres();
const OUTAGE_MS = 3000;

describe.skipIf(!real)("database outage during traffic", () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem({ name: "fault-outage", servers: 2, connections: 20, databaseProxy: true });
  });

  afterAll(() => system?.close());

  it("answers 503 unavailable during the outage, recovers without restart, writes nothing by halves", async () => {
    const { db, pool, servers, clients } = system;
    const proxy = system.proxy!;
    const performance = await factories.performance(db.prisma, { roomCapacity: 10_000 });
    const pids = servers.map((s) => s.pid);
    type Answer = CallResult & { phase: "before" | "during" | "after"; op: string };
    const answers: Answer[] = [];
    const created: string[] = [];
    let phase: Answer["phase"] = "before";
    let stop = false;
    let n = 0;

    const worker = async (w: number) => {
      while (!stop) {
        const i = n++;
        const client = clients[w % clients.length]!;
        const startedIn = phase;
        const r =
          i % 3 === 0
            ? { ...(await client.query("catalogue.shows")), op: "catalogue.shows" }
            : {
                ...(await client.mutation("booking.create", {
                  performanceId: performance.id,
                  name: `Visitor ${i}`,
                  email: `outage-${i}@fault.test`,
                  partySize: 1 + (i % 3),
                })),
                op: "booking.create",
              };
        // An answer is attributed to the outage if the request started or ended in it.
        answers.push({ ...r, phase: startedIn === "during" || phase === "during" ? "during" : startedIn });
        if (r.op === "booking.create" && r.status === 200) created.push(r.data.reservationId);
        if (r.status !== 200) await new Promise((res) => setTimeout(res, 50));
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));

    // Phases end on answer counts, not on time: a loaded CI machine may be slow.
    const waitForAnswers = async (count: number, what: string) => {
      const deadline = Date.now() + 60_000;
      while (answers.length < count) {
        expect(Date.now(), `${what}: only ${answers.length} answers`).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitForAnswers(10, "warm-up");
    phase = "during";
    await proxy.cut(OUTAGE_MS);
    phase = "after";
    // Recovery: both processes answer successfully again, by themselves.
    const recoveredBy = Date.now() + 20_000;
    for (const client of clients) {
      for (;;) {
        const r = await client.query("catalogue.shows");
        if (r.status === 200) break;
        expect(Date.now(), `a server did not recover: last answer ${r.status} ${r.reason}`).toBeLessThan(recoveredBy);
        await new Promise((res) => setTimeout(res, 200));
      }
    }
    const afterStart = answers.length;
    await waitForAnswers(afterStart + 10, "after recovery");
    stop = true;
    await Promise.all(workers);

    const before = answers.filter((a) => a.phase === "before");
    const during = answers.filter((a) => a.phase === "during");
    const after = answers.slice(afterStart);
    expect(before.length).toBeGreaterThan(5);
    expect(before.every((a) => a.status === 200)).toBe(true);

    // During the outage: failures are clean, retryable and fast; never a 500 or a hang.
    const failures = during.filter((a) => a.status !== 200);
    expect(failures.length).toBeGreaterThan(0);
    const summary = failures.map((a) => `${a.op} ${a.status} ${a.reason}`);
    for (const f of failures) {
      expect(`${f.status} ${f.reason}`, summary.join(", ")).toBe("503 unavailable");
    }
    expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(OUTAGE_MS + 10_000);

    // After: the same processes serve again, everything succeeds.
    expect(servers.map((s) => s.child.exitCode)).toEqual([null, null]);
    expect(servers.map((s) => s.pid)).toEqual(pids);
    expect(after.length).toBeGreaterThan(5);
    expect(after.filter((a) => a.status !== 200)).toEqual([]);

    // Nothing half-written; every booking answered 200 exists.
    expect(await brokenInvariants(pool)).toEqual({});
    const rows = await pool.query(`SELECT count(*)::int AS n FROM "Reservation" WHERE "id" = ANY($1::uuid[])`, [created]);
    expect(rows.rows[0].n).toBe(created.length);
  });
});
