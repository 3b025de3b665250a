import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, runConcurrently, type CallResult } from "../../bench/lib/load.ts";
import { startMailCatcher, type MailCatcher } from "../../bench/lib/mail.ts";
import { startServer, type ServerProcess } from "../../bench/lib/processes.ts";
import { brokenInvariants } from "./invariants.ts";

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
  let db: TestDatabase;
  let pool: pg.Pool;
  let mail: MailCatcher;
  let servers: ServerProcess[] = [];
  let clients: Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url!, max: 3 });
    mail = await startMailCatcher();
    servers = await Promise.all(
      [0, 1].map((i) => startServer({ databaseUrl: db.url!, smtpUrl: mail.url, name: `fault-kill-${i}`, logDir: "/tmp/sipario-fault-logs" })),
    );
    clients = servers.map((s) => new Client(s.origin, s.trpcBase, 30));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(servers.map((s) => s.stop()));
    await mail?.close();
    await pool?.end();
    await db?.drop();
  });

  it("leaves every reservation consistent and the surviving process serving", async () => {
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
