import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { testConfig } from "../testing/index.ts";
import { tonightBoard, tonightInputSchema } from "./tonight.service.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("tonightBoard", () => {
  it("lists today's performances on the venue's clock with seats left, arrivals and parties to come, and the door list of one", async () => {
    const prisma = db.prisma;
    const config = testConfig();
    // A fixed evening in Rome: 20:30 local; "now" is 19:00 local.
    const venue = await factories.venue(prisma, { timeZone: "Europe/Rome" });
    const now = new Date("2026-06-12T17:00:00Z");
    const tonight = await factories.performance(prisma, {
      venueId: venue.id,
      startsAt: new Date("2026-06-12T18:30:00Z"),
      roomCapacity: 30,
      additionalSeats: 2,
    });
    const cancelled = await factories.performance(prisma, {
      venueId: venue.id,
      startsAt: new Date("2026-06-12T19:30:00Z"),
      status: "cancelled",
      cancelledAt: now,
    });
    const tomorrow = await factories.performance(prisma, { venueId: venue.id, startsAt: new Date("2026-06-13T18:30:00Z") });
    const staff = (await factories.user(prisma)).user;
    const confirmed = { status: "confirmed" as const, confirmedAt: now };
    const inside = await factories.reservation(prisma, { performanceId: tonight.id, partySize: 2, name: "Bruno", ...confirmed });
    await factories.reservation(prisma, { performanceId: tonight.id, partySize: 3, name: "Anna", ...confirmed });
    await factories.reservation(prisma, { performanceId: tonight.id, partySize: 1, name: "Carla", email: null, source: "box_office", ...confirmed });
    await factories.reservation(prisma, { performanceId: tonight.id, partySize: 4, name: "Dario", status: "pending" });
    await factories.reservation(prisma, { performanceId: tonight.id, partySize: 4, name: "Elio", status: "cancelled", cancelledAt: now });
    await factories.reservation(prisma, { performanceId: tomorrow.id, partySize: 2, ...confirmed });
    await prisma.checkIn.create({ data: { reservationId: inside.id, checkedInById: staff.id, source: "manual", checkedInAt: now } });

    const board = await tonightBoard(prisma, config, {}, now);
    expect(board.performances.map((p) => p.id)).toEqual([tonight.id, cancelled.id]);
    expect(board.performances[0]).toMatchObject({
      timeZone: "Europe/Rome",
      cancelled: false,
      capacity: 32,
      confirmedSeats: 6,
      availableSeats: 26,
      pendingCount: 1,
      arrived: { parties: 1, people: 2 },
      toCome: { parties: 2, people: 4 },
    });
    expect(board.performances[1]!.cancelled).toBe(true);
    // The first performance not cancelled; confirmed parties by name, never an address.
    expect(board.doorListFor).toBe(tonight.id);
    expect(board.doorList.map((r) => [r.name, r.partySize, r.hasEmail, r.checkedInAt !== null])).toEqual([
      ["Anna", 3, true, false],
      ["Bruno", 2, true, true],
      ["Carla", 1, false, false],
    ]);
    expect(JSON.stringify(board)).not.toContain("@");

    expect((await tonightBoard(prisma, config, { performanceId: cancelled.id }, now)).doorList).toEqual([]);
    await expect(tonightBoard(prisma, config, { performanceId: tomorrow.id }, now)).rejects.toSatisfy(
      (e) => e instanceof DomainError && e.reason === "not_found",
    );
    // The next day at noon: only that day's performance.
    expect((await tonightBoard(prisma, config, {}, new Date("2026-06-13T10:00:00Z"))).performances.map((p) => p.id)).toEqual([tomorrow.id]);
  });

  it("takes only a performance id", () => {
    expect(tonightInputSchema.safeParse({}).success).toBe(true);
    expect(tonightInputSchema.safeParse({ performanceId: "x" }).success).toBe(false);
    expect(tonightInputSchema.safeParse({ other: 1 }).success).toBe(false);
  });
});
