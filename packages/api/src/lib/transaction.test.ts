import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTransaction } from "./transaction.ts";

const realPostgres = await requireRealPostgres();
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("withTransaction", () => {
  it.skipIf(!realPostgres)("retries the victim of a real deadlock, so both transactions complete", async () => {
    const a = await factories.performance(db.prisma);
    const b = await factories.performance(db.prisma);
    let arrived = 0;
    let open!: () => void;
    const barrier = new Promise<void>((r) => (open = r));
    const attempts = { first: 0, second: 0 };
    const lockBoth = (first: string, second: string, key: keyof typeof attempts) =>
      withTransaction(db.prisma, async (tx) => {
        attempts[key]++;
        await tx.$queryRaw`SELECT 1 FROM "Performance" WHERE "id" = ${first}::uuid FOR UPDATE`;
        if (++arrived === 2) open();
        await barrier;
        await tx.$queryRaw`SELECT 1 FROM "Performance" WHERE "id" = ${second}::uuid FOR UPDATE`;
        await tx.performance.update({ where: { id: first }, data: { additionalSeats: { increment: 1 } } });
        return key;
      });
    const results = await Promise.all([lockBoth(a.id, b.id, "first"), lockBoth(b.id, a.id, "second")]);
    expect(results).toEqual(["first", "second"]);
    // PostgreSQL aborted one of them (40P01); it ran again and succeeded.
    expect(attempts.first + attempts.second).toBe(3);
    const seats = await db.prisma.performance.findMany({ where: { id: { in: [a.id, b.id] } }, select: { additionalSeats: true } });
    expect(seats.map((s) => s.additionalSeats)).toEqual([1, 1]);
  });

  it("passes domain errors through without retrying", async () => {
    let calls = 0;
    await expect(
      withTransaction(db.prisma, async () => {
        calls++;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(calls).toBe(1);
  });
});
