import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PerformanceLocker } from "../capacity/capacity.service.ts";
import { testConfig } from "../testing/index.ts";
import { unlockedPerformanceRead } from "../testing/unsafe-capacity.ts";
import { changeReservation } from "./reservation-change.service.ts";
import { createBoxOfficeReservation } from "./season.service.ts";

/**
 * Changes racing for the last seats on a real PostgreSQL: ten parties of 1 grow to 3 at
 * once where only 10 seats are free, while the box office sells too. The control run swaps
 * the performance lock for the unlocked read of testing/unsafe-capacity.ts and oversells.
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

async function confirmedSeats(performanceId: string): Promise<number> {
  const sum = await db.prisma.reservation.aggregate({ where: { performanceId, status: "confirmed" }, _sum: { partySize: true } });
  return sum._sum.partySize ?? 0;
}

/** 20 seats; ten box-office parties of 1 (no email, so no ticket mail); each asks for 3 at once. */
async function race(lock?: PerformanceLocker) {
  const performance = await factories.performance(db.prisma, { roomCapacity: 20, startsAt: new Date(Date.now() + 7 * 86_400_000) });
  const parties = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      db.prisma.reservation.create({
        data: { performanceId: performance.id, name: `Party ${i}`, partySize: 1, status: "confirmed", source: "box_office", confirmedAt: new Date() },
      }),
    ),
  );
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (e: { reason?: string }) => e.reason ?? "error",
    );
  const outcomes = await Promise.all(parties.map((r) => outcome(changeReservation(db.prisma, config, r.id, { partySize: 3 }, { lock }))));
  return { outcomes, seats: await confirmedSeats(performance.id), performanceId: performance.id };
}

describe.skipIf(!realPostgres)("changes racing for the last seats", () => {
  it("never oversell: exactly five parties grow", async () => {
    const { outcomes, seats } = await race();
    expect(seats).toBe(20);
    expect(outcomes.sort()).toEqual([...Array(5).fill("not_enough_seats"), ...Array(5).fill("ok")]);
  }, 120_000);

  it("control: changes reading the performance without its lock oversell", async () => {
    let seats = 0;
    for (let attempt = 1; attempt <= 5 && seats <= 20; attempt++) ({ seats } = await race(unlockedPerformanceRead));
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
