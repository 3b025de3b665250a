import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmReservation, createReservation } from "../booking/booking.service.ts";
import { testConfig } from "../testing/index.ts";
import { unlockedPerformanceRead } from "../testing/unsafe-capacity.ts";
import { readThenCancelHolders } from "../testing/unsafe-season.ts";
import type { PerformanceLocker } from "../capacity/capacity.service.ts";
import { changeReservation } from "./reservation-change.service.ts";
import { cancelPerformance, createBoxOfficeReservation } from "./season.service.ts";

/**
 * Season races on a real PostgreSQL, many transactions at once through one pool. Each has a
 * control run with the guard swapped for a naive variant from testing/ (unsafe-season.ts, unsafe-capacity.ts),
 * showing that the race does happen without it.
 */
const realPostgres = await requireRealPostgres();
const config = testConfig({ MAX_PARTY_SIZE: "10" });
let db: TestDatabase;

beforeAll(async () => {
  if (!realPostgres) return;
  db = await createTestDatabase({ poolSize: 30 });
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

/** A performance with `pending` visitors each holding a confirmation link for 2 seats. */
async function pendingVisitors(count: number, roomCapacity: number) {
  const performance = await factories.performance(db.prisma, { roomCapacity, startsAt: new Date(Date.now() + 7 * 86_400_000) });
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await createReservation(db.prisma, config, {
      performanceId: performance.id,
      name: `Visitor ${i}`,
      email: `visitor-${i}-${performance.id.slice(0, 8)}@example.org`,
      partySize: 2,
    });
    tokens.push(created.confirmationToken);
  }
  return { performanceId: performance.id, tokens };
}

async function confirmedSeats(performanceId: string): Promise<number> {
  const sum = await db.prisma.reservation.aggregate({ where: { performanceId, status: "confirmed" }, _sum: { partySize: true } });
  return sum._sum.partySize ?? 0;
}

/** "ok", or the reason a contender was refused. */
const outcome = (attempt: Promise<unknown>): Promise<string> =>
  attempt.then(
    () => "ok",
    (e: { reason?: string }) => e.reason ?? "error",
  );

describe.skipIf(!realPostgres)("box-office bookings racing with online confirmations and with each other", () => {
  // 50 parties of 2 want 100 seats of 60; the box office sells 10 at the same moment.
  async function race(lock?: PerformanceLocker) {
    const { performanceId, tokens } = await pendingVisitors(50, 60);
    const online = tokens.map((token) => outcome(confirmReservation(db.prisma, config, token)));
    const boxOffice = outcome(createBoxOfficeReservation(db.prisma, config, { performanceId, name: "Walk-in group", partySize: 10 }, { lock }));
    const outcomes = await Promise.all([...online, boxOffice]);
    return { outcomes, seats: await confirmedSeats(performanceId) };
  }

  it("never oversells", async () => {
    const { outcomes, seats } = await race();
    expect(seats).toBeLessThanOrEqual(60);
    expect(outcomes.filter((o) => o !== "ok" && o !== "not_enough_seats")).toEqual([]);
  }, 120_000);

  it("control: box-office bookings reading seats without the lock oversell", async () => {
    // The online confirmations queue for the pool while the box office already counts, so
    // they rarely meet it inside its unlocked window; two box-office desks selling at once
    // do. Ten desks sell 10 seats each of 60: with the lock, six succeed (test below).
    let seats = 0;
    for (let attempt = 1; attempt <= 5 && seats <= 60; attempt++) ({ seats } = await desks(unlockedPerformanceRead));
    expect(seats).toBeGreaterThan(60);
  }, 300_000);

  it("ten box-office desks selling at once never oversell", async () => {
    const { seats, outcomes } = await desks();
    expect(seats).toBe(60);
    expect(outcomes.sort()).toEqual([...Array(4).fill("not_enough_seats"), ...Array(6).fill("ok")]);
  }, 120_000);

  async function desks(lock?: PerformanceLocker) {
    const performance = await factories.performance(db.prisma, { roomCapacity: 60, startsAt: new Date(Date.now() + 7 * 86_400_000) });
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        outcome(createBoxOfficeReservation(db.prisma, config, { performanceId: performance.id, name: `Desk ${i}`, partySize: 10 }, { lock })),
      ),
    );
    return { outcomes, seats: await confirmedSeats(performance.id) };
  }
});

describe.skipIf(!realPostgres)("cancelPerformance racing with confirmations", () => {
  // Box-office bookings are confirmed the moment they are made: twenty of them arrive while
  // the performance is being cancelled. (Online confirmations of links sent earlier cannot
  // outlive it either: their reservations are cancelled and booking.confirm refuses; see
  // season.test.ts.)
  async function race(options: Parameters<typeof cancelPerformance>[3] = {}) {
    const performance = await factories.performance(db.prisma, { roomCapacity: 200, startsAt: new Date(Date.now() + 7 * 86_400_000) });
    const performanceId = performance.id;
    await factories.reservation(db.prisma, { performanceId, status: "confirmed", partySize: 2 });
    const cancellation = cancelPerformance(db.prisma, config, performanceId, options);
    const boxOffice: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      boxOffice.push(createBoxOfficeReservation(db.prisma, config, { performanceId, name: `Walk-in ${i}`, partySize: 1 }).catch(() => null));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([...boxOffice, cancellation]);
    const after = await db.prisma.performance.findUniqueOrThrow({ where: { id: performanceId } });
    const stillConfirmed = await db.prisma.reservation.count({ where: { performanceId, status: "confirmed" } });
    return { status: after.status, stillConfirmed };
  }

  it("leaves no confirmed reservation on a cancelled performance", async () => {
    const { status, stillConfirmed } = await race();
    expect(status).toBe("cancelled");
    expect(stillConfirmed).toBe(0);
  }, 120_000);

  it("control: read-then-cancel without the lock lets bookings survive the cancellation", async () => {
    const { status, stillConfirmed } = await race({ lock: unlockedPerformanceRead, takeHolders: readThenCancelHolders });
    expect(status).toBe("cancelled");
    expect(stillConfirmed).toBeGreaterThan(0);
  }, 120_000);
});

describe.skipIf(!realPostgres)("cancelPerformance twice at once", () => {
  async function twice(options: Parameters<typeof cancelPerformance>[3] = {}) {
    const performance = await factories.performance(db.prisma, { roomCapacity: 100, startsAt: new Date(Date.now() + 86_400_000) });
    for (let i = 0; i < 20; i++) {
      await factories.reservation(db.prisma, { performanceId: performance.id, status: "confirmed", partySize: 2, locale: i % 2 ? "en" : "it" });
    }
    const results = await Promise.all([
      cancelPerformance(db.prisma, config, performance.id, options),
      cancelPerformance(db.prisma, config, performance.id, options),
    ]);
    const emails = await db.prisma.emailOutbox.groupBy({
      by: ["reservationId"],
      where: { kind: "performance_cancelled", reservation: { performanceId: performance.id } },
      _count: { _all: true },
    });
    return { results, emails };
  }

  it("emails each holder exactly once, and the told counts add up", async () => {
    const { results, emails } = await twice();
    expect(emails).toHaveLength(20);
    expect(emails.every((e) => e._count._all === 1)).toBe(true);
    expect(results.map((r) => r.told).sort()).toEqual([0, 20]);
  }, 120_000);

  it("control: read-then-cancel without the lock emails people twice", async () => {
    const { emails } = await twice({ lock: unlockedPerformanceRead, takeHolders: readThenCancelHolders });
    expect(emails.some((e) => e._count._all > 1)).toBe(true);
  }, 120_000);
});

// Changes racing for the last seats: ten parties of 1 grow to 3 at once where only 10
// seats are free, while the box office sells too.

/** 20 seats; ten box-office parties of 1 (no email, so no ticket mail); each asks for 3 at once. */
async function growParties(lock?: PerformanceLocker) {
  const performance = await factories.performance(db.prisma, { roomCapacity: 20, startsAt: new Date(Date.now() + 7 * 86_400_000) });
  const parties = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      db.prisma.reservation.create({
        data: { performanceId: performance.id, name: `Party ${i}`, partySize: 1, status: "confirmed", source: "box_office", confirmedAt: new Date() },
      }),
    ),
  );
  const outcomes = await Promise.all(parties.map((r) => outcome(changeReservation(db.prisma, config, r.id, { partySize: 3 }, { lock }))));
  return { outcomes, seats: await confirmedSeats(performance.id), performanceId: performance.id };
}

describe.skipIf(!realPostgres)("changes racing for the last seats", () => {
  it("never oversell: exactly five parties grow", async () => {
    const { outcomes, seats } = await growParties();
    expect(seats).toBe(20);
    expect(outcomes.sort()).toEqual([...Array(5).fill("not_enough_seats"), ...Array(5).fill("ok")]);
  }, 120_000);

  it("control: changes reading the performance without its lock oversell", async () => {
    let seats = 0;
    for (let attempt = 1; attempt <= 5 && seats <= 20; attempt++) ({ seats } = await growParties(unlockedPerformanceRead));
    expect(seats).toBeGreaterThan(20);
  }, 300_000);

  it("a change and box-office desks at once never oversell", async () => {
    const performance = await factories.performance(db.prisma, { roomCapacity: 10, startsAt: new Date(Date.now() + 7 * 86_400_000) });
    const party = await db.prisma.reservation.create({
      data: { performanceId: performance.id, name: "Grows", partySize: 2, status: "confirmed", source: "box_office", confirmedAt: new Date() },
    });
    await Promise.all([
      changeReservation(db.prisma, config, party.id, { partySize: 6 }).catch(() => null),
      ...Array.from({ length: 5 }, (_, i) =>
        createBoxOfficeReservation(db.prisma, config, { performanceId: performance.id, name: `Desk ${i}`, partySize: 2 }).catch(() => null),
      ),
    ]);
    expect(await confirmedSeats(performance.id)).toBeLessThanOrEqual(10);
  }, 120_000);
});
