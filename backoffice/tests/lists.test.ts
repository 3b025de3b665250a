import { dayBounds } from "@sipario/api";
import { factories } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, login, startBackoffice, type Harness } from "./helpers.ts";

/**
 * The lists the box office works from (issue 17): performances soonest first with past
 * ones behind the "when" filter, reservations that say "checked in" and stop offering
 * what no longer applies, and the date filters (today, next 7 days, a show).
 */
let h: Harness;
let api: ReturnType<typeof adminApi>;
let adminId: string;
const DAY = 86_400_000;

beforeAll(async () => {
  h = await startBackoffice();
  const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
  adminId = user.id;
  const { cookie } = await login(h.base, user.email, password);
  api = adminApi(h.base, cookie);
});
afterAll(async () => {
  await h?.stop();
});

const titles = (json: { records: { params: Record<string, unknown> }[] }) => json.records.map((r) => String(r.params.label).split(" · ")[0]);

describe("the performance list", () => {
  it("shows upcoming performances soonest first, the past ones only when asked", async () => {
    const show = (title: string) => factories.show(h.db.prisma, { title });
    const at = async (title: string, offset: number) =>
      factories.performance(h.db.prisma, { showId: (await show(title)).id, startsAt: new Date(Date.now() + offset) });
    await at("Far", 30 * DAY);
    await at("Past", -30 * DAY);
    await at("Soon", 2 * DAY);
    await at("Later this year", 90 * DAY);

    const list = await api.get("/resources/Performance/actions/list");
    expect(titles(list.json)).toEqual(["Soon", "Far", "Later this year"]);
    const past = await api.get("/resources/Performance/actions/list?filters.when=past");
    expect(titles(past.json)).toEqual(["Past"]);
    const week = await api.get("/resources/Performance/actions/list?filters.when=week");
    expect(titles(week.json)).toEqual(["Soon"]);
    const all = await api.get("/resources/Performance/actions/list?filters.when=all");
    expect(titles(all.json)).toEqual(["Past", "Soon", "Far", "Later this year"]);
  });
});

describe("the reservation list", () => {
  it("says checked in for a party that came in, and offers only what still applies", async () => {
    const perf = await factories.performance(h.db.prisma, { startsAt: new Date(Date.now() + 3 * DAY) });
    const inside = await factories.reservation(h.db.prisma, { performanceId: perf.id, status: "confirmed", confirmedAt: new Date(), name: "Dentro" });
    await h.db.prisma.checkIn.create({ data: { reservationId: inside.id, checkedInById: adminId, source: "manual" } });
    const waiting = await factories.reservation(h.db.prisma, { performanceId: perf.id, status: "confirmed", confirmedAt: new Date(), name: "Fuori" });

    const list = await api.get(`/resources/Reservation/actions/list?filters.performance=${perf.id}`);
    const byName = Object.fromEntries(list.json.records.map((r: { params: Record<string, unknown> }) => [r.params.name, r]));
    expect(byName.Dentro.params.state).toBe("checked_in");
    expect(byName.Fuori.params.state).toBe("confirmed");
    const actions = (r: { recordActions: { name: string }[] }) => r.recordActions.map((a) => a.name);
    expect(actions(byName.Dentro)).toContain("undoCheckIn");
    for (const gone of ["checkInManually", "cancelReservation", "resendTicket"]) expect(actions(byName.Dentro)).not.toContain(gone);
    expect(actions(byName.Fuori)).toEqual(expect.arrayContaining(["checkInManually", "cancelReservation", "resendTicket"]));
    expect(actions(byName.Fuori)).not.toContain("undoCheckIn");

    const onlyIn = await api.get(`/resources/Reservation/actions/list?filters.performance=${perf.id}&filters.checkedIn=true`);
    expect(onlyIn.json.records.map((r: { id: string }) => r.id)).toEqual([inside.id]);
    expect(waiting.id).not.toBe(inside.id);
  });

  it("filters by the performance's day and by show title", async () => {
    // Today in the company's time zone, whatever the clock says now.
    const { start, end } = dayBounds(new Date(), h.config.TIME_ZONE);
    const tonight = new Date((start.getTime() + end.getTime()) / 2);
    const showTonight = await factories.show(h.db.prisma, { title: "Stasera in scena" });
    const perfTonight = await factories.performance(h.db.prisma, { showId: showTonight.id, startsAt: tonight });
    const later = await factories.performance(h.db.prisma, { startsAt: new Date(Date.now() + 20 * DAY) });
    const a = await factories.reservation(h.db.prisma, { performanceId: perfTonight.id, status: "confirmed", confirmedAt: new Date() });
    const b = await factories.reservation(h.db.prisma, { performanceId: later.id, status: "confirmed", confirmedAt: new Date() });
    const ids = async (query: string) => (await api.get(`/resources/Reservation/actions/list?${query}`)).json.records.map((r: { id: string }) => r.id);
    const today = await ids("filters.when=today&perPage=500");
    expect(today).toContain(a.id);
    expect(today).not.toContain(b.id);
    expect(await ids("filters.showTitle=stasera")).toEqual([a.id]);
  });
});

describe("the new-performance form", () => {
  it("takes the seats from the venue when left empty", async () => {
    const venue = await h.db.prisma.venue.create({
      data: { name: "Sala Grande", slug: "sala-grande", address: "Via Roma 1", city: "Roma", defaultCapacity: 120 },
    });
    const show = await factories.show(h.db.prisma, { title: "Le serve" });
    const created = await api.post("/resources/Performance/actions/new", {
      show: show.id,
      venue: venue.id,
      startsAt: new Date(Date.now() + 10 * DAY).toISOString(),
      roomCapacity: "",
      isBookingEnabled: true,
    });
    expect(created.json.record.errors).toEqual({});
    expect((await h.db.prisma.performance.findUniqueOrThrow({ where: { id: created.json.record.id } })).roomCapacity).toBe(120);
  });
});
