import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { testConfig } from "../testing/index.ts";
import { createPerformanceRun, planPerformanceRun } from "./performance-run.service.ts";

let db: TestDatabase;
const config = testConfig({ TIME_ZONE: "Europe/Rome" });
const now = new Date("2031-01-01T00:00:00Z");

beforeAll(async () => {
  db = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

async function reason(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(e)}`);
  return e.reason;
}

describe("a run of performances", () => {
  it("plans every Tuesday-Sunday at 21:00 in the venue's zone, across the change to summer time, plus listed dates, without repeats", async () => {
    const show = await factories.show(db.prisma);
    const venue = await factories.venue(db.prisma, { timeZone: "Europe/Rome" });
    // 2031-03-30 is the last Sunday of March: clocks go forward that night.
    const plan = await planPerformanceRun(
      db.prisma,
      config,
      {
        showId: show.id,
        venueId: venue.id,
        roomCapacity: 90,
        every: { from: "2031-03-27", to: "2031-04-01", weekdays: [2, 3, 4, 5, 6, 7], time: "21:00" },
        dates: ["2031-03-28 21:00", "2031-04-06 16:30"],
      },
      now,
    );
    expect(plan.startsAt.map((d) => d.toISOString())).toEqual([
      "2031-03-27T20:00:00.000Z", // Thu, winter time (UTC+1)
      "2031-03-28T20:00:00.000Z", // Fri (also listed: once)
      "2031-03-29T20:00:00.000Z", // Sat
      "2031-03-30T19:00:00.000Z", // Sun, summer time (UTC+2): still 21:00 in Rome
      "2031-04-01T19:00:00.000Z", // Tue (Monday 31 skipped)
      "2031-04-06T14:30:00.000Z",
    ]);
    expect(await db.prisma.performance.count({ where: { showId: show.id } })).toBe(0);
  });

  it("creates them all in one transaction with the same seats, audited once", async () => {
    const show = await factories.show(db.prisma);
    const venue = await factories.venue(db.prisma);
    const result = await createPerformanceRun(
      db.prisma,
      config,
      { showId: show.id, venueId: venue.id, roomCapacity: 80, additionalSeats: 4, dates: ["2031-05-01 20:30", "2031-05-02 20:30", "2031-05-03 18:00"] },
      { now, actor: { userId: null, label: "script" } },
    );
    expect(result.created).toBe(3);
    const rows = await db.prisma.performance.findMany({ where: { showId: show.id }, orderBy: { startsAt: "asc" } });
    expect(rows.map((r) => [r.startsAt.toISOString(), r.roomCapacity, r.additionalSeats, r.venueId])).toEqual([
      ["2031-05-01T18:30:00.000Z", 80, 4, venue.id],
      ["2031-05-02T18:30:00.000Z", 80, 4, venue.id],
      ["2031-05-03T16:00:00.000Z", 80, 4, venue.id],
    ]);
    const audits = await db.prisma.auditLog.findMany({ where: { action: "performance.run", entityId: show.id } });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.changes).toMatchObject({ created: 3 });
  });

  it("refuses bad, impossible, past or empty runs, and unknown shows, creating nothing", async () => {
    const show = await factories.show(db.prisma);
    const venue = await factories.venue(db.prisma);
    const base = { showId: show.id, venueId: venue.id, roomCapacity: 10 };
    expect(await reason(createPerformanceRun(db.prisma, config, { ...base, dates: ["next friday"] }, { now }))).toBe("invalid_input");
    expect(await reason(createPerformanceRun(db.prisma, config, { ...base, dates: ["2031-02-30 21:00"] }, { now }))).toBe("invalid_input");
    expect(await reason(createPerformanceRun(db.prisma, config, { ...base, dates: ["2030-12-01 21:00", "2031-02-01 21:00"] }, { now }))).toBe("invalid_input");
    expect(await reason(createPerformanceRun(db.prisma, config, { ...base }, { now }))).toBe("invalid_input");
    expect(
      await reason(
        createPerformanceRun(db.prisma, config, { ...base, every: { from: "2031-02-02", to: "2031-02-02", weekdays: [1], time: "21:00" } }, { now }),
      ),
    ).toBe("invalid_input");
    expect(
      await reason(
        createPerformanceRun(db.prisma, config, { ...base, every: { from: "2031-01-02", to: "2036-01-02", weekdays: [1], time: "21:00" } }, { now }),
      ),
    ).toBe("invalid_input");
    expect(
      await reason(createPerformanceRun(db.prisma, config, { ...base, showId: "00000000-0000-4000-8000-000000000000", dates: ["2031-02-01 21:00"] }, { now })),
    ).toBe("invalid_input");
    expect(await db.prisma.performance.count({ where: { showId: show.id } })).toBe(0);
  });
});
