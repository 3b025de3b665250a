import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "../testing/index.ts";
import { createPerformance, updatePerformance } from "./performance.service.ts";

let db: TestDatabase;
const config = testConfig({ TICKET_GRACE_HOURS: "2" });
const actor = { userId: null, label: "boss@example.org" };

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function ticketOf(performanceId: string) {
  const r = await factories.reservation(db.prisma, {
    performanceId,
    status: "confirmed",
    partySize: 3,
    confirmedAt: new Date(),
    email: null,
    source: "box_office",
  });
  const t = await db.prisma.reservationToken.create({
    data: { reservationId: r.id, purpose: "check_in", tokenHash: r.id.replace(/-/g, "").padEnd(64, "0"), expiresAt: new Date("2000-01-01T00:00:00Z") },
  });
  return t.id;
}

const audits = (entityId: string) => db.prisma.auditLog.findMany({ where: { entityId }, orderBy: { createdAt: "asc" } });

describe("createPerformance", () => {
  it("creates a performance with booking on, audited once; refusals name the field", async () => {
    const show = await factories.show(db.prisma);
    const venue = await factories.venue(db.prisma);
    const startsAt = new Date("2031-03-14T19:30:00Z");
    const p = await createPerformance(db.prisma, config, { showId: show.id, venueId: venue.id, startsAt, roomCapacity: 120, note: " LIS " }, { actor });
    expect(p).toMatchObject({
      showId: show.id,
      venueId: venue.id,
      roomCapacity: 120,
      additionalSeats: 0,
      manuallyOccupiedSeats: 0,
      isBookingEnabled: true,
      note: "LIS",
    });
    const rows = await audits(p.id);
    expect(rows.map((a) => [a.action, a.actorLabel])).toEqual([["create", "boss@example.org"]]);

    const refused = async (input: Record<string, unknown>) =>
      createPerformance(db.prisma, config, { showId: show.id, venueId: venue.id, startsAt, roomCapacity: 10, ...input } as never).catch((e) => e);
    expect(await refused({ manuallyOccupiedSeats: 11 })).toMatchObject({ reason: "invalid_input", details: { field: "manuallyOccupiedSeats" } });
    expect(await refused({ roomCapacity: -1 })).toMatchObject({ reason: "invalid_input", details: { field: "roomCapacity" } });
    expect(await refused({ venueId: show.id })).toMatchObject({ reason: "invalid_input", details: { field: "venueId" } });
    expect(await refused({ showId: "not-a-uuid" })).toMatchObject({ reason: "invalid_input", details: { field: "showId" } });
    expect(await refused({ bookingClosesAt: new Date("2031-03-15T00:00:00Z") })).toMatchObject({ details: { field: "bookingClosesAt" } });
    expect(await refused({ surtitles: "English please" })).toMatchObject({ details: { field: "surtitles" } });
    expect(await db.prisma.performance.count({ where: { showId: show.id } })).toBe(1);
  });
});

describe("updatePerformance", () => {
  it("changes show, seats, booking window and start in one edit, audited once field by field", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 120, startsAt: new Date("2031-03-14T19:30:00Z") });
    const otherShow = await factories.show(db.prisma);
    const startsAt = new Date("2031-03-15T19:30:00Z");
    const opensAt = new Date("2031-03-01T08:00:00Z");
    const updated = await updatePerformance(
      db.prisma,
      config,
      p.id,
      { showId: otherShow.id, roomCapacity: 110, startsAt, bookingOpensAt: opensAt, isBookingEnabled: true, additionalSeats: undefined },
      { actor },
    );
    expect(updated).toMatchObject({ showId: otherShow.id, roomCapacity: 110, startsAt, bookingOpensAt: opensAt });
    const rows = await audits(p.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "edit", entity: "Performance", actorLabel: "boss@example.org" });
    expect(rows[0]!.changes).toEqual({
      showId: { from: p.showId, to: otherShow.id },
      roomCapacity: { from: 120, to: 110 },
      startsAt: { from: "2031-03-14T19:30:00.000Z", to: "2031-03-15T19:30:00.000Z" },
      bookingOpensAt: { from: null, to: "2031-03-01T08:00:00.000Z" },
    });
    // The same values again: nothing changes, nothing more is audited.
    await updatePerformance(db.prisma, config, p.id, { roomCapacity: 110, startsAt }, { actor });
    expect(await audits(p.id)).toHaveLength(1);
  });

  it("refuses a capacity below the confirmed seats, naming the field changed, and changes nothing", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 20 });
    await factories.reservation(db.prisma, { performanceId: p.id, status: "confirmed", partySize: 8, confirmedAt: new Date() });
    const small = await updatePerformance(db.prisma, config, p.id, { roomCapacity: 7, note: "changed" }).catch((e) => e);
    expect(small).toMatchObject({ reason: "capacity_below_confirmed", details: { field: "roomCapacity", confirmedSeats: 8 } });
    const manual = await updatePerformance(db.prisma, config, p.id, { roomCapacity: 20, manuallyOccupiedSeats: 13 }).catch((e) => e);
    expect(manual).toMatchObject({ reason: "capacity_below_confirmed", details: { field: "manuallyOccupiedSeats" } });
    const over = await updatePerformance(db.prisma, config, p.id, { manuallyOccupiedSeats: 21 }).catch((e) => e);
    expect(over).toMatchObject({ reason: "invalid_input", details: { field: "manuallyOccupiedSeats" } });
    expect(await db.prisma.performance.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ roomCapacity: 20, manuallyOccupiedSeats: 0, note: "" });
    expect(await audits(p.id)).toHaveLength(0);
    // Control: room for the confirmed party is accepted.
    expect(await updatePerformance(db.prisma, config, p.id, { roomCapacity: 8 })).toMatchObject({ roomCapacity: 8 });
  });

  it("a new venue recomputes the tickets' validity with the NEW venue's time zone, in the same edit", async () => {
    const rome = await factories.venue(db.prisma, { timeZone: "Europe/Rome" });
    const newYork = await factories.venue(db.prisma, { timeZone: "America/New_York" });
    const p = await factories.performance(db.prisma, { venueId: rome.id, startsAt: new Date("2031-03-14T19:30:00Z") });
    const ticket = await ticketOf(p.id); // a box-office ticket without an email: nobody to tell
    await updatePerformance(db.prisma, config, p.id, { venueId: newYork.id, roomCapacity: 40 }, { actor });
    const t = await db.prisma.reservationToken.findUniqueOrThrow({ where: { id: ticket } });
    // Midnight ending 14 March in New York (UTC-4 after the DST change) + 2 h; Rome's would be 2031-03-14T23:00Z + 2 h.
    expect(t.expiresAt.toISOString()).toBe("2031-03-15T06:00:00.000Z");
    expect(await db.prisma.performance.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ venueId: newYork.id, roomCapacity: 40 });
    expect((await audits(p.id)).map((a) => a.action)).toEqual(["edit"]);
  });

  it("a new time or place with ticket holders to tell is refused on that field (Move performance tells them)", async () => {
    const p = await factories.performance(db.prisma);
    await factories.reservation(db.prisma, { performanceId: p.id, status: "confirmed", confirmedAt: new Date() });
    const other = await factories.venue(db.prisma);
    expect(await updatePerformance(db.prisma, config, p.id, { venueId: other.id }).catch((e) => e)).toMatchObject({
      reason: "invalid_input",
      details: { field: "venueId", rule: "holders_must_be_told", count: 1 },
    });
    expect(await updatePerformance(db.prisma, config, p.id, { startsAt: new Date(p.startsAt.getTime() + 3_600_000) }).catch((e) => e)).toMatchObject({
      details: { field: "startsAt" },
    });
    await expect(updatePerformance(db.prisma, config, "00000000-0000-4000-8000-000000000000", { roomCapacity: 5 })).rejects.toMatchObject({
      reason: "not_found",
    });
  });
});
