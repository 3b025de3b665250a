import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "../root.ts";
import { type ApiProcess as Server, spawnApiServer } from "../testing/api-process.ts";
import { generateToken, hashToken } from "../lib/tokens.ts";

/**
 * Cross-process races, pretix-style: real API processes sharing one real PostgreSQL,
 * requests fired together, and a control run whose servers read the performance without
 * its lock (testing/unsafe-capacity.ts, through SERVE_UNSAFE=capacity of testing/serve.ts)
 * showing that the race does happen without it.
 */
const realPostgres = await requireRealPostgres();

let db: TestDatabase;
let locked: Server[] = [];
let unlocked: Server[] = [];

beforeAll(async () => {
  if (!realPostgres) return;
  db = await createTestDatabase();
  [locked, unlocked] = await Promise.all([
    Promise.all([spawnApiServer(db.url!), spawnApiServer(db.url!)]),
    Promise.all([spawnApiServer(db.url!, { env: { SERVE_UNSAFE: "capacity" } }), spawnApiServer(db.url!, { env: { SERVE_UNSAFE: "capacity" } })]),
  ]);
}, 300_000);

afterAll(async () => {
  await Promise.all([...locked, ...unlocked].map((s) => s.stop()));
  await db?.drop();
});

/** n pending reservations of 1-4 seats for a fresh performance, with their raw tokens. */
async function pendingReservations(capacity: number, n: number) {
  const p = await factories.performance(db.prisma, { roomCapacity: capacity });
  const rows = Array.from({ length: n }, (_, i) => ({ id: crypto.randomUUID(), partySize: 1 + ((i * 7 + 3) % 4), token: generateToken() }));
  await db.prisma.reservation.createMany({
    data: rows.map((r, i) => ({ id: r.id, performanceId: p.id, name: `R${i}`, email: `r${i}@example.org`, partySize: r.partySize })),
  });
  await db.prisma.reservationToken.createMany({
    data: rows.map((r) => ({
      reservationId: r.id,
      purpose: "confirmation" as const,
      tokenHash: hashToken(r.token),
      expiresAt: new Date(Date.now() + 3_600_000),
    })),
  });
  return { performanceId: p.id, rows };
}

type Outcome = { ok: true } | { ok: false; status: number | undefined; reason: string | undefined; network: boolean };

/** Fires every confirmation at once, spread across the servers, one HTTP request each. */
async function confirmAll(servers: Server[], tokens: string[]): Promise<Outcome[]> {
  const clients = servers.map((s) => createTRPCClient<AppRouter>({ links: [httpLink({ url: s.url })] }));
  return Promise.all(
    tokens.map((token, i) =>
      clients[i % clients.length]!.booking.confirm.mutate({ token }).then(
        (): Outcome => ({ ok: true }),
        (e: unknown): Outcome => {
          const data = e instanceof TRPCClientError ? (e.data as { httpStatus?: number; reason?: string } | undefined) : undefined;
          return { ok: false, status: data?.httpStatus, reason: data?.reason, network: !data };
        },
      ),
    ),
  );
}

async function confirmedSeats(performanceId: string) {
  const rows = await db.prisma.reservation.findMany({ where: { performanceId }, select: { status: true, partySize: true } });
  const confirmed = rows.filter((r) => r.status === "confirmed");
  return {
    seats: confirmed.reduce((n, r) => n + r.partySize, 0),
    parties: confirmed.length,
    smallestPending: Math.min(...rows.filter((r) => r.status === "pending").map((r) => r.partySize)),
  };
}

describe.skipIf(!realPostgres)("confirmation races across two server processes", () => {
  it("200 confirmations at once for 50 seats: never more than 50, full or nothing left fits, every request answered", async () => {
    const { performanceId, rows } = await pendingReservations(50, 200);
    const outcomes = await confirmAll(
      locked,
      rows.map((r) => r.token),
    );
    const failures = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    expect(failures.filter((f) => f.network)).toEqual([]);
    expect(failures.filter((f) => f.reason !== "not_enough_seats")).toEqual([]);
    expect(failures.every((f) => f.status === 409)).toBe(true);
    const { seats, parties, smallestPending } = await confirmedSeats(performanceId);
    expect(parties).toBe(outcomes.length - failures.length);
    expect(seats).toBeLessThanOrEqual(50);
    expect(seats === 50 || smallestPending > 50 - seats).toBe(true);
    // Each confirmed party got exactly one ticket and one ticket email.
    expect(await db.prisma.reservationToken.count({ where: { purpose: "check_in", reservation: { performanceId } } })).toBe(parties);
    expect(await db.prisma.emailOutbox.count({ where: { kind: "ticket", reservation: { performanceId } } })).toBe(parties);
  }, 60_000);

  it("control: with the lock switched off the same burst overbooks (so the test above can fail)", async () => {
    // A race is probabilistic: up to five bursts, and the control holds if any overbooks
    // (one burst almost always does; on a loaded machine a burst can serialise by chance).
    const seen: number[] = [];
    for (let burst = 0; burst < 5 && !seen.some((s) => s > 50); burst++) {
      const { performanceId, rows } = await pendingReservations(50, 200);
      const outcomes = await confirmAll(
        unlocked,
        rows.map((r) => r.token),
      );
      expect(outcomes.filter((o) => !o.ok && o.network)).toEqual([]);
      seen.push((await confirmedSeats(performanceId)).seats);
    }
    if (process.env.RACE_DEBUG) console.info(`control runs: ${seen.join(", ")} seats confirmed for 50`);
    expect(Math.max(...seen), `the control bursts confirmed ${seen.join(", ")} seats for 50`).toBeGreaterThan(50);
  }, 60_000);

  it("the same confirmation token 20 times at once: exactly one success, the rest token_used", async () => {
    for (const servers of [locked, unlocked]) {
      // Even without the capacity lock, the conditional token update admits one winner.
      const { performanceId, rows } = await pendingReservations(50, 1);
      const outcomes = await confirmAll(
        servers,
        Array.from({ length: 20 }, () => rows[0]!.token),
      );
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      expect(
        outcomes.filter((o) => !o.ok).map((o) => (o as { reason?: string }).reason),
        JSON.stringify(outcomes),
      ).toEqual(Array(19).fill("token_used"));
      expect(await db.prisma.reservationToken.count({ where: { purpose: "check_in", reservation: { performanceId } } })).toBe(1);
      expect(await db.prisma.emailOutbox.count({ where: { kind: "ticket", reservation: { performanceId } } })).toBe(1);
    }
  }, 60_000);
});
