import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "../testing/index.ts";
import { performanceSeatSummary, updatePerformanceCapacity } from "./capacity.service.ts";

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
