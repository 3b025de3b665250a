import { factories, requireRealPostgres } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runConcurrently, type CallResult, type Client } from "../../bench/lib/load.ts";
import type { ServerProcess } from "../../bench/lib/processes.ts";
import { brokenInvariants } from "./invariants.ts";
import { startFaultSystem, type FaultSystem } from "./system.ts";

/**
 * A server process SIGKILLed in the middle of an on-sale rush against two processes.
 * PostgreSQL rolls back whatever the dead process had in flight; what must hold
 * afterwards is checked in SQL (tests/fault/invariants.ts), and the other process must
 * keep serving throughout.
 */

const real = await requireRealPostgres();
const CAPACITY = 80;
const VISITORS = 160;

describe.skipIf(!real)("SIGKILL during an on-sale rush", () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem({ name: "fault-kill", servers: 2, connections: 30 });
  });

  afterAll(() => system?.close());

  it("leaves every reservation consistent and the surviving process serving", async () => {
    const { db, pool, mail, servers, clients } = system;
    const performance = await factories.performance(db.prisma, { roomCapacity: CAPACITY });
    const [victim, survivor] = servers as [ServerProcess, ServerProcess];
    let killed = false;
    let confirmsStarted = 0;
    let confirmsInFlightAtKill = 0;
    let inFlight = 0;
    let survivorOkAfterKill = 0;
    let survivorUnanswered = 0;
    let lostMail = 0;

    // A load balancer in miniature: the preferred process, else the other one.
    const call = async (prefer: number, fn: (c: Client) => Promise<CallResult>): Promise<CallResult> => {
      const order = prefer === 0 && !killed ? [0, 1] : [1];
      for (const idx of order) {
        const r = await fn(clients[idx]!);
        if (idx === 1 && r.status === 0) survivorUnanswered++;
        if (idx === 1 && killed && r.status === 200) survivorOkAfterKill++;
        if (r.status !== 0) return r;
      }
      return { status: 0, reason: "transport", ms: 0 };
    };

    await runConcurrently(
      Array.from({ length: VISITORS }, (_, i) => i),
      40,
      async (i) => {
        const email = `kill-${i}@fault.test`;
        const created = await call(i % 2, (c) =>
          c.mutation("booking.create", { performanceId: performance.id, name: `Visitor ${i}`, email, partySize: 1 + (i % 4) }),
        );
        if (created.status !== 200) return;
        // A message claimed by the dead process waits for its lease; that is by design.
        const token = await mail.waitFor(email, "confirm", 8000).catch(() => null);
        if (!token) return void lostMail++;
        confirmsStarted++;
        if (!killed && confirmsStarted >= 25) {
          confirmsInFlightAtKill = inFlight;
          victim.kill("SIGKILL");
          killed = true;
        }
        inFlight++;
        try {
          await call(i % 2, (c) => c.mutation("booking.confirm", { token }));
        } finally {
          inFlight--;
        }
      },
    );

    expect(killed).toBe(true);
    expect(confirmsInFlightAtKill).toBeGreaterThan(0);
    await victim.exited;
    expect(victim.child.signalCode).toBe("SIGKILL");

    // The survivor kept serving, and still does.
    expect(survivor.child.exitCode).toBeNull();
    expect(survivorUnanswered).toBe(0);
    expect(survivorOkAfterKill).toBeGreaterThan(10);
    const after = await clients[1]!.query("catalogue.shows");
    expect(after.status).toBe(200);

    // What PostgreSQL kept is consistent.
    expect(await brokenInvariants(pool)).toEqual({});
    const seats = await pool.query(
      `SELECT COALESCE(SUM("partySize"), 0)::int AS s FROM "Reservation" WHERE "performanceId" = $1::uuid AND "status" = 'confirmed'`,
      [performance.id],
    );
    expect(seats.rows[0].s).toBeLessThanOrEqual(CAPACITY);
    // The rush really was one: the room filled up despite the crash.
    expect(seats.rows[0].s).toBeGreaterThan(CAPACITY - 4);
    expect(lostMail).toBeLessThan(VISITORS / 2);
  });
});
