import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "../testing/index.ts";
import { updatePerformanceCapacity } from "../performance/capacity-edit.service.ts";
import { availableSeats, availableSeatsSql, performanceSeatSummary, seatsTakenByPerformance } from "./capacity.service.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("updatePerformanceCapacity", () => {
  it("accepts edits that keep every confirmed seat, refuses the rest with a clear message", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 20, additionalSeats: 2 });
    await factories.reservation(db.prisma, { performanceId: p.id, status: "confirmed", partySize: 8 });
    await factories.reservation(db.prisma, { performanceId: p.id, status: "confirmed", partySize: 4 });
    await factories.reservation(db.prisma, { performanceId: p.id, status: "pending", partySize: 9 });

    const ok = await updatePerformanceCapacity(db.prisma, p.id, { roomCapacity: 12, additionalSeats: 0 });
    expect(ok).toMatchObject({ confirmedSeats: 12, availableSeats: 0, performance: { roomCapacity: 12, additionalSeats: 0 } });

    const err = await updatePerformanceCapacity(db.prisma, p.id, { roomCapacity: 11 }).catch((e) => e);
    expect(err).toMatchObject({ reason: "capacity_below_confirmed", code: "CONFLICT" });
    expect(err.message).toContain("12 confirmed seats");
    expect(err.message).toContain("would be 11");

    const manual = await updatePerformanceCapacity(db.prisma, p.id, { roomCapacity: 14, manuallyOccupiedSeats: 3 }).catch((e) => e);
    expect(manual).toMatchObject({ reason: "capacity_below_confirmed" });
    expect(manual.message).toContain("3 manually occupied seats");

    const over = await updatePerformanceCapacity(db.prisma, p.id, { manuallyOccupiedSeats: 13 }).catch((e) => e);
    expect(over).toMatchObject({ reason: "invalid_input" });
    expect(over.message).toMatch(/cannot exceed the room capacity plus additional seats \(12\)/);

    await expect(updatePerformanceCapacity(db.prisma, p.id, { roomCapacity: -1 })).rejects.toMatchObject({ reason: "invalid_input" });
    await expect(updatePerformanceCapacity(db.prisma, p.id, { roomCapacity: 1.5 })).rejects.toMatchObject({ reason: "invalid_input" });
    await expect(updatePerformanceCapacity(db.prisma, "00000000-0000-4000-8000-000000000000", { roomCapacity: 5 })).rejects.toMatchObject({
      reason: "not_found",
    });
    // Refusals changed nothing.
    expect((await performanceSeatSummary(db.prisma, [p.id])).get(p.id)).toMatchObject({ capacity: 12, confirmedSeats: 12, availableSeats: 0 });

    const more = await updatePerformanceCapacity(db.prisma, p.id, { additionalSeats: 5, manuallyOccupiedSeats: 2, isBookingEnabled: false });
    expect(more).toMatchObject({ availableSeats: 3, performance: { isBookingEnabled: false, manuallyOccupiedSeats: 2 } });
    expect(await db.prisma.auditLog.count({ where: { entityId: p.id, action: "performance.capacity" } })).toBe(2);
  });

  it("moving a performance moves its tickets' expiry with it", async () => {
    const p = await factories.performance(db.prisma, { startsAt: new Date("2030-05-10T18:00:00Z") });
    const r = await factories.reservation(db.prisma, { performanceId: p.id, status: "confirmed" });
    await db.prisma.reservationToken.create({
      data: { reservationId: r.id, purpose: "check_in", tokenHash: "f".repeat(64), expiresAt: new Date("2030-05-10T22:00:00Z") },
    });
    await updatePerformanceCapacity(db.prisma, p.id, { startsAt: new Date("2030-05-12T18:00:00Z") }, { config: testConfig({ TICKET_GRACE_HOURS: "2" }) });
    const t = await db.prisma.reservationToken.findFirstOrThrow({ where: { reservationId: r.id } });
    expect(t.expiresAt.toISOString()).toBe("2030-05-13T00:00:00.000Z"); // midnight in Rome (UTC+2) + 2 h
  });
});

describe("the capacity formula, written once", () => {
  it("availableSeats() and AVAILABLE_SEATS_SQL agree on every mix of confirmed, pending, held, lapsed and cancelled seats", async () => {
    const now = new Date();
    const later = new Date(now.getTime() + 60_000);
    const earlier = new Date(now.getTime() - 60_000);
    const cases: {
      room: number;
      extra: number;
      manual: number;
      rows: { status: "pending" | "confirmed" | "cancelled" | "expired"; size: number; offer?: Date }[];
    }[] = [
      { room: 10, extra: 0, manual: 0, rows: [] },
      {
        room: 10,
        extra: 2,
        manual: 3,
        rows: [
          { status: "confirmed", size: 4 },
          { status: "pending", size: 3 },
        ],
      },
      {
        room: 10,
        extra: 0,
        manual: 0,
        rows: [
          { status: "pending", size: 2, offer: later },
          { status: "confirmed", size: 5 },
        ],
      },
      {
        room: 10,
        extra: 0,
        manual: 0,
        rows: [
          { status: "pending", size: 2, offer: earlier },
          { status: "expired", size: 2, offer: later },
        ],
      },
      {
        room: 4,
        extra: 0,
        manual: 0,
        rows: [
          { status: "confirmed", size: 4 },
          { status: "pending", size: 2, offer: later },
        ],
      }, // squeezed: clamps at 0
      { room: 8, extra: 4, manual: 12, rows: [] },
      {
        room: 20,
        extra: 5,
        manual: 1,
        rows: [
          { status: "cancelled", size: 6 },
          { status: "confirmed", size: 6, offer: later },
          { status: "pending", size: 1, offer: later },
        ],
      },
    ];
    for (let i = 0; i < 12; i++) {
      cases.push({
        room: 5 + ((i * 7) % 30),
        extra: i % 4,
        manual: i % 3,
        rows: Array.from({ length: i % 6 }, (_, j) => ({
          status: (["pending", "confirmed", "cancelled", "expired"] as const)[(i + j) % 4]!,
          size: 1 + ((i + 2 * j) % 4),
          offer: j % 2 ? later : j % 3 ? earlier : undefined,
        })),
      });
    }
    for (const c of cases) {
      const p = await factories.performance(db.prisma, {
        roomCapacity: c.room,
        additionalSeats: c.extra,
        manuallyOccupiedSeats: Math.min(c.manual, c.room + c.extra),
      });
      for (const r of c.rows)
        await factories.reservation(db.prisma, { performanceId: p.id, status: r.status, partySize: r.size, offerExpiresAt: r.offer ?? null });
      const [fromSql] = await db.prisma.$queryRaw<
        { available: number }[]
      >`SELECT ${availableSeatsSql(now)} AS "available" FROM "Performance" p WHERE p."id" = ${p.id}::uuid`;
      const taken = (await seatsTakenByPerformance(db.prisma, [p.id], now)).get(p.id)!;
      const expectedHeld = c.rows.filter((r) => r.status === "pending" && r.offer && r.offer > now).reduce((n, r) => n + r.size, 0);
      const expectedConfirmed = c.rows.filter((r) => r.status === "confirmed").reduce((n, r) => n + r.size, 0);
      expect(taken).toEqual({ confirmedSeats: expectedConfirmed, heldOfferSeats: expectedHeld });
      const fromTs = availableSeats(p, taken);
      expect(fromSql!.available, JSON.stringify(c)).toBe(fromTs);
      expect(fromTs).toBe(Math.max(0, c.room + c.extra - Math.min(c.manual, c.room + c.extra) - expectedConfirmed - expectedHeld));
      expect((await performanceSeatSummary(db.prisma, [p.id], now)).get(p.id)).toMatchObject({ availableSeats: fromTs, heldOfferSeats: expectedHeld });
    }
  });
});
