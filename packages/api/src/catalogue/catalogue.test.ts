import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performanceSeatSummary } from "../capacity/capacity.service.ts";
import { getPerformance } from "./catalogue.service.ts";
import { testCaller } from "../testing/index.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const HOUR = 3_600_000;

describe("catalogue", () => {
  it("lists published shows only, and show/performance views hide unpublished ones", async () => {
    const visible = await factories.show(db.prisma, { title: "AAA Visible" });
    const hidden = await factories.show(db.prisma, { title: "AAA Hidden", isPublished: false });
    const hiddenPerf = await factories.performance(db.prisma, { showId: hidden.id });
    const api = testCaller(db.prisma);
    const { items } = await api.catalogue.shows();
    expect(items.map((s) => s.slug)).toContain(visible.slug);
    expect(items.map((s) => s.slug)).not.toContain(hidden.slug);
    expect(Object.keys(items[0]!).sort()).toEqual(["id", "lang", "posterImage", "slug", "summary", "title"]);
    await expect(api.catalogue.show({ slug: hidden.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.catalogue.show({ slug: "no-such-show" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.catalogue.performance({ id: hiddenPerf.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const all = await api.catalogue.performances();
    expect(all.items.map((p) => p.id)).not.toContain(hiddenPerf.id);
  });

  it("show() lists upcoming performances only, with server-computed seats", async () => {
    const show = await factories.show(db.prisma);
    const venue = await factories.venue(db.prisma, { name: "Teatro Piccolo", city: "Roma" });
    const past = await factories.performance(db.prisma, { showId: show.id, venueId: venue.id, startsAt: new Date(Date.now() - HOUR) });
    const later = await factories.performance(db.prisma, { showId: show.id, venueId: venue.id, startsAt: new Date(Date.now() + 72 * HOUR) });
    const soon = await factories.performance(db.prisma, {
      showId: show.id,
      venueId: venue.id,
      startsAt: new Date(Date.now() + 24 * HOUR),
      roomCapacity: 40,
      additionalSeats: 5,
      manuallyOccupiedSeats: 7,
      isBookingEnabled: false,
    });
    await factories.reservation(db.prisma, { performanceId: soon.id, status: "confirmed", partySize: 4 });
    const result = await testCaller(db.prisma).catalogue.show({ slug: show.slug });
    expect(result.performances.map((p) => p.id)).toEqual([soon.id, later.id]);
    expect(result.performances.map((p) => p.id)).not.toContain(past.id);
    expect(result.performances[0]).toEqual({
      id: soon.id,
      startsAt: soon.startsAt.toISOString(),
      venue: { slug: venue.slug, name: "Teatro Piccolo", city: "Roma", timeZone: "Europe/Rome", lang: { name: "it" } },
      surtitles: null,
      note: "",
      noteLang: "it",
      status: "scheduled",
      bookingOpensAt: null,
      bookingClosesAt: soon.startsAt.toISOString(),
      bookingEnabled: false,
      bookingState: "closed",
      availableSeats: 40 + 5 - 7 - 4,
    });
  });

  it("performances() filters by show and from, and performance() gives the venue address", async () => {
    const show = await factories.show(db.prisma);
    const a = await factories.performance(db.prisma, { showId: show.id, startsAt: new Date(Date.now() + 10 * HOUR) });
    const b = await factories.performance(db.prisma, { showId: show.id, startsAt: new Date(Date.now() + 100 * HOUR) });
    const api = testCaller(db.prisma);
    const byShow = await api.catalogue.performances({ show: show.slug });
    expect(byShow.items.map((p) => p.id)).toEqual([a.id, b.id]);
    expect(byShow.items[0]!.show).toEqual({ title: show.title, slug: show.slug, lang: { title: "it" } });
    const from = await api.catalogue.performances({ show: show.slug, from: new Date(Date.now() + 50 * HOUR).toISOString() });
    expect(from.items.map((p) => p.id)).toEqual([b.id]);
    const first = await api.catalogue.performances({ show: show.slug, limit: 1 });
    expect(first.items.map((p) => p.id)).toEqual([a.id]);
    await expect(api.catalogue.performances({ limit: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const one = await api.catalogue.performance({ id: a.id });
    expect(one).toMatchObject({ id: a.id, show: { title: show.title, slug: show.slug, summary: show.summary }, bookingEnabled: true, availableSeats: 50 });
    expect(one.venue).toMatchObject({ name: expect.any(String), address: "Via Roma 1", city: "Roma", timeZone: "Europe/Rome" });
    expect(one.venue.mapUrl).toBe("https://www.openstreetmap.org/search?query=Via%20Roma%201%2C%20Roma");
    await expect(api.catalogue.performance({ id: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.catalogue.performance({ id: "nope" } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.catalogue.show({ slug: "x", extra: 1 } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("capacity formula", () => {
  it("room + additional - manual - confirmed; pending, cancelled and expired consume nothing; never below 0", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 30, additionalSeats: 4, manuallyOccupiedSeats: 6 });
    // The service itself: this test writes behind the services' back, which the router's
    // short public-read cache would (by design) show only after its TTL.
    const seats = async () => (await getPerformance(db.prisma, p.id)).availableSeats;
    expect(await seats()).toBe(28);
    await factories.reservation(db.prisma, { performanceId: p.id, status: "pending", partySize: 10 });
    await factories.reservation(db.prisma, { performanceId: p.id, status: "cancelled", partySize: 3 });
    await factories.reservation(db.prisma, { performanceId: p.id, status: "expired", partySize: 2 });
    expect(await seats()).toBe(28);
    const confirmed = await factories.reservation(db.prisma, { performanceId: p.id, status: "confirmed", partySize: 5 });
    expect(await seats()).toBe(23);
    await db.prisma.reservation.update({ where: { id: confirmed.id }, data: { status: "cancelled" } });
    expect(await seats()).toBe(28);
    await factories.reservation(db.prisma, { performanceId: p.id, status: "confirmed", partySize: 9 });
    await db.prisma.$executeRaw`UPDATE "Performance" SET "roomCapacity" = 10, "additionalSeats" = 0, "manuallyOccupiedSeats" = 5 WHERE "id" = ${p.id}::uuid`;
    expect(await seats()).toBe(0);
  });

  it("performanceSeatSummary gives the door numbers for many performances in one query", async () => {
    const p1 = await factories.performance(db.prisma, { roomCapacity: 20, additionalSeats: 2, manuallyOccupiedSeats: 1 });
    const p2 = await factories.performance(db.prisma, { roomCapacity: 8 });
    const r1 = await factories.reservation(db.prisma, { performanceId: p1.id, status: "confirmed", partySize: 3 });
    await factories.reservation(db.prisma, { performanceId: p1.id, status: "confirmed", partySize: 4 });
    await factories.reservation(db.prisma, { performanceId: p1.id, status: "pending", partySize: 2 });
    await factories.reservation(db.prisma, { performanceId: p1.id, status: "pending", partySize: 1 });
    const { user } = await factories.user(db.prisma);
    await db.prisma.checkIn.create({ data: { reservationId: r1.id, checkedInById: user.id } });
    const summary = await performanceSeatSummary(db.prisma, [p1.id, p2.id, "not-a-uuid"]);
    expect(summary.get(p1.id)).toEqual({
      performanceId: p1.id,
      capacity: 21,
      confirmedSeats: 7,
      heldOfferSeats: 0,
      pendingCount: 2,
      checkedInParties: 1,
      checkedInPeople: 3,
      availableSeats: 14,
    });
    expect(summary.get(p2.id)).toMatchObject({ capacity: 8, confirmedSeats: 0, pendingCount: 0, availableSeats: 8 });
    expect(summary.size).toBe(2);
  });

  it("answers each translated text in the asked language, else the other one, and says which", async () => {
    const show = await factories.show(db.prisma, { title: "Le serve", summary: "" });
    await db.prisma.show.update({
      where: { id: show.id },
      data: { titleEn: "The Maids", summaryEn: "Two maids play a deadly game.", description: "Due sorelle.", runningTimeMinutes: 85 },
    });
    const venue = await factories.venue(db.prisma, { name: "Teatro dell'Orologio", address: "Via dei Filippini 17/A", city: "Roma" });
    await db.prisma.venue.update({ where: { id: venue.id }, data: { notes: "Ingresso dal cortile.", notesEn: "Entrance from the courtyard." } });
    const p = await factories.performance(db.prisma, { showId: show.id, venueId: venue.id, startsAt: new Date(Date.now() + 30 * HOUR) });
    await db.prisma.performance.update({ where: { id: p.id }, data: { surtitles: "en", noteEn: "Relaxed performance." } });
    const api = testCaller(db.prisma);

    const it_ = await api.catalogue.show({ slug: show.slug, locale: "it" });
    expect(it_).toMatchObject({ title: "Le serve", summary: "Two maids play a deadly game.", description: "Due sorelle.", runningTimeMinutes: 85 });
    expect(it_.lang).toMatchObject({ title: "it", summary: "en", description: "it" });
    expect(it_.performances[0]).toMatchObject({ surtitles: "en", note: "Relaxed performance.", noteLang: "en" });

    const en = await api.catalogue.show({ slug: show.slug, locale: "en" });
    expect(en).toMatchObject({ title: "The Maids", summary: "Two maids play a deadly game.", description: "Due sorelle." });
    expect(en.lang).toMatchObject({ title: "en", summary: "en", description: "it" });

    // No locale: Italian, as before translations existed.
    expect((await api.catalogue.show({ slug: show.slug })).title).toBe("Le serve");
    expect((await api.catalogue.performance({ id: p.id, locale: "en" })).venue).toMatchObject({ notes: "Entrance from the courtyard.", lang: { notes: "en" } });
    const venuePage = await api.catalogue.venue({ slug: venue.slug, locale: "it" });
    expect(venuePage).toMatchObject({ notes: "Ingresso dal cortile.", address: "Via dei Filippini 17/A" });
    expect(venuePage.mapUrl).toBe("https://www.openstreetmap.org/search?query=Via%20dei%20Filippini%2017%2FA%2C%20Roma");
    expect(venuePage.performances.map((x) => x.id)).toContain(p.id);
    await expect(api.catalogue.show({ slug: show.slug, locale: "fr" } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
