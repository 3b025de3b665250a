import { factories } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, login, startBackoffice, type Harness } from "./helpers.ts";

/**
 * Season operations in the back-office (issue 15), through AdminJS's own HTTP API: the
 * box-office booking (Reservation "new"), printing its ticket, cancelling and moving a
 * performance with the count of people told, undoing a check-in with a reason. Refusals
 * come back on the form or as an error notice, never a 500. Only admins reach any of it.
 */
let h: Harness;
let api: ReturnType<typeof adminApi>;
let adminId: string;
let cookie: string | null;

beforeAll(async () => {
  h = await startBackoffice({ ORIGIN: "http://site.test" });
  const { user, password } = await factories.user(h.db.prisma, { role: "admin", email: "botteghino@azionelab.example" });
  adminId = user.id;
  ({ cookie } = await login(h.base, user.email, password));
  expect(cookie).not.toBeNull();
  api = adminApi(h.base, cookie);
});
afterAll(async () => {
  await h?.stop();
});

const confirmed = (performanceId: string, data: Record<string, unknown> = {}) =>
  factories.reservation(h.db.prisma, { performanceId, status: "confirmed", confirmedAt: new Date(), ...data });

describe("box-office booking (Reservation new)", () => {
  it("books a walk-in without email: confirmed box_office reservation with a ticket, the code in the notice, then the printable ticket", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 10 });
    const res = await api.post("/resources/Reservation/actions/new", {
      performance: perf.id,
      name: "Walk In",
      partySize: 3,
      phone: "+39 06 123",
      locale: "en",
    });
    expect(res.status).toBe(200);
    const id = res.json.record.id as string;
    // The notice is a message key with its values, put into words in the admin's language by the page;
    // the code is the public booking code (issue 13, finding 11), not a piece of the reservation id.
    const { bookingCode } = await h.db.prisma.reservation.findUniqueOrThrow({ where: { id } });
    expect(res.json.notice).toMatchObject({ type: "success", message: "boxOfficeBookedPrint", options: { code: bookingCode, seats: 3 } });
    expect(res.json.redirectUrl).toBe(`/admin/resources/Reservation/records/${id}/printTicket`);
    const row = await h.db.prisma.reservation.findUniqueOrThrow({ where: { id }, include: { tokens: true } });
    expect(row).toMatchObject({ status: "confirmed", source: "box_office", email: null, phone: "+39 06 123", partySize: 3, locale: "en" });
    expect(row.tokens.map((t) => t.purpose)).toEqual(["check_in"]);
    // Audited once, by the service, without the person's details.
    const audits = await h.db.prisma.auditLog.findMany({ where: { entityId: id } });
    expect(audits.map((a) => [a.action, a.userId])).toEqual([["reservation.box_office", adminId]]);
    expect(JSON.stringify(audits[0]!.changes)).not.toContain("Walk In");

    // The print screen is offered for it (no email) and opens the site's ticket page.
    const screen = await api.get(`/resources/Reservation/records/${id}/printTicket`);
    expect(screen.status).toBe(200);
    const printed = await api.post(`/resources/Reservation/records/${id}/printTicket`, { confirm: "yes" });
    expect(printed.json.notice).toMatchObject({ type: "success" });
    expect(printed.json.openUrl).toMatch(/^http:\/\/site\.test\/tickets\//);
  });

  it("with an email sends the ticket email in the chosen language", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 10 });
    const res = await api.post("/resources/Reservation/actions/new", {
      performance: perf.id,
      name: "Telefono",
      partySize: 2,
      email: "Chiama@Example.org",
      locale: "it",
    });
    const id = res.json.record.id as string;
    expect(res.json.notice).toMatchObject({ message: "boxOfficeBookedEmailed", options: { seats: 2 } });
    expect(res.json.redirectUrl).toBe(`/admin/resources/Reservation/records/${id}/show`);
    const mail = await h.db.prisma.emailOutbox.findMany({ where: { reservationId: id } });
    expect(mail.map((m) => [m.kind, m.toAddress])).toEqual([["ticket", "chiama@example.org"]]);
  });

  it("over capacity, without a name or with a bad email answers on the form; nothing is booked", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 4 });
    await confirmed(perf.id, { partySize: 3 });
    const full = await api.post("/resources/Reservation/actions/new", { performance: perf.id, name: "Too Many", partySize: 2 });
    expect(full.status).toBe(200);
    expect(full.json.notice).toMatchObject({ type: "error", message: "Only 1 seats are left." });
    expect(full.json.record.errors.partySize.message).toBe("Only 1 seats are left.");
    const noName = await api.post("/resources/Reservation/actions/new", { performance: perf.id, name: " ", partySize: 1 });
    expect(noName.status).toBe(200);
    expect(noName.json.record.errors.name).toBeTruthy();
    const badEmail = await api.post("/resources/Reservation/actions/new", { performance: perf.id, name: "X", partySize: 1, email: "not-an-email" });
    expect(badEmail.json.record.errors.email).toBeTruthy();
    const noPerformance = await api.post("/resources/Reservation/actions/new", { name: "X", partySize: 1 });
    expect(noPerformance.status).toBe(200);
    expect(noPerformance.json.record.errors.performance).toBeTruthy();
    expect(await h.db.prisma.reservation.count({ where: { performanceId: perf.id } })).toBe(1);
  });

  it("editing keeps seats and performance for the change action, and contact details editable", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 10 });
    const r = await confirmed(perf.id, { partySize: 2 });
    const seats = await api.post(`/resources/Reservation/records/${r.id}/edit`, { name: r.name, partySize: 5 });
    expect(seats.json.record.errors.partySize.message).toMatch(/Change reservation/);
    const ok = await api.post(`/resources/Reservation/records/${r.id}/edit`, { name: "Renamed", partySize: 2, performance: perf.id, phone: "333" });
    expect(ok.json.notice).toMatchObject({ type: "success" });
    expect(await h.db.prisma.reservation.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ name: "Renamed", phone: "333", partySize: 2 });
    const noEmail = await api.post(`/resources/Reservation/records/${r.id}/edit`, { email: "" });
    expect(noEmail.json.record.errors.email.message).toMatch(/online booking keeps its email/);
  });
});

describe("changing a reservation", () => {
  it("shows the party now and the other dates of the show, grows the party where it fits, moves it, and refuses what does not fit", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 6 });
    const later = await factories.performance(h.db.prisma, {
      showId: perf.showId,
      roomCapacity: 10,
      startsAt: new Date(perf.startsAt.getTime() + 24 * 3_600_000),
    });
    await factories.performance(h.db.prisma);
    const r = await confirmed(perf.id, { partySize: 2 });
    await confirmed(perf.id, { partySize: 2 });

    const screen = await api.get(`/resources/Reservation/records/${r.id}/changeReservation`);
    expect(screen.status).toBe(200);
    expect(screen.json.record.params.actionPreview).toBe("changeReservationPreview");
    expect(JSON.parse(screen.json.record.params.actionPreviewValues)).toMatchObject({ seats: 2 });
    // Only the other performance of the same show is offered.
    expect(JSON.parse(screen.json.record.params.actionChoices).performance.map((c: { value: string }) => c.value)).toEqual([later.id]);

    const tooMany = await api.post(`/resources/Reservation/records/${r.id}/changeReservation`, { confirm: "yes", partySize: 5 });
    expect(tooMany.json.notice).toMatchObject({ type: "error", message: "Only 4 seats are free for this party." });
    const grown = await api.post(`/resources/Reservation/records/${r.id}/changeReservation`, { confirm: "yes", partySize: 4 });
    expect(grown.json.notice).toMatchObject({ type: "success", message: "changeReservationEmailed", options: { seats: 4 } });
    const moved = await api.post(`/resources/Reservation/records/${r.id}/changeReservation`, { confirm: "yes", performance: later.id });
    expect(moved.json.notice).toMatchObject({ type: "success", message: "changeReservationEmailed", options: { seats: 4 } });
    expect(await h.db.prisma.reservation.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ performanceId: later.id, partySize: 4 });
    expect((await h.db.prisma.emailOutbox.findMany({ where: { reservationId: r.id } })).map((m) => m.kind)).toEqual(["ticket", "ticket"]);
    const nothing = await api.post(`/resources/Reservation/records/${r.id}/changeReservation`, { confirm: "yes" });
    expect(nothing.json.notice).toMatchObject({ type: "error" });
  });
});

describe("cancelling a performance", () => {
  it("shows how many will be told, cancels every holding reservation, emails each once, audits once; a second run tells nobody", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 20 });
    await confirmed(perf.id, { locale: "en" });
    await confirmed(perf.id);
    await factories.reservation(h.db.prisma, { performanceId: perf.id, status: "pending" });
    await confirmed(perf.id, { email: null, source: "box_office" });
    await factories.reservation(h.db.prisma, { performanceId: perf.id, status: "cancelled" });

    const screen = await api.get(`/resources/Performance/records/${perf.id}/cancelPerformance`);
    expect(screen.status).toBe(200);
    expect(screen.json.record.params).toMatchObject({
      actionPreview: "cancelPerformancePreview",
      actionPreviewValues: JSON.stringify({ reservations: 4, toTell: 3 }),
    });
    // GET changes nothing.
    expect((await h.db.prisma.performance.findUniqueOrThrow({ where: { id: perf.id } })).status).toBe("scheduled");

    const done = await api.post(`/resources/Performance/records/${perf.id}/cancelPerformance`, { confirm: "yes" });
    expect(done.json.notice).toMatchObject({ type: "success", message: "cancelPerformanceDone", options: { count: 3 } });
    expect(await h.db.prisma.reservation.count({ where: { performanceId: perf.id, status: { in: ["pending", "confirmed"] } } })).toBe(0);
    expect(await h.db.prisma.emailOutbox.count({ where: { kind: "performance_cancelled", reservation: { performanceId: perf.id } } })).toBe(3);

    const again = await api.post(`/resources/Performance/records/${perf.id}/cancelPerformance`, { confirm: "yes" });
    expect(again.json.notice.message).toBe("cancelPerformanceAlready");
    expect(await h.db.prisma.emailOutbox.count({ where: { kind: "performance_cancelled", reservation: { performanceId: perf.id } } })).toBe(3);
    const audits = await h.db.prisma.auditLog.findMany({ where: { entity: "Performance", entityId: perf.id, action: "performance.cancel" } });
    expect(audits.map((a) => [a.userId, a.changes])).toEqual([[adminId, { reservationsCancelled: 4, told: 3 }]]);
    // A cancelled performance is not moved.
    const move = await api.post(`/resources/Performance/records/${perf.id}/movePerformance`, {
      confirm: "yes",
      startsAt: new Date(Date.now() + 96 * 3_600_000).toISOString(),
    });
    expect(move.status).toBe(200);
    expect(move.json.notice.type).toBe("error");
  });
});

describe("moving a performance", () => {
  it("shows how many will be told, moves it, emails each holder once; a plain edit of the time is refused while people hold tickets", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 20 });
    await confirmed(perf.id);
    await confirmed(perf.id, { locale: "en" });
    const later = new Date(perf.startsAt.getTime() + 24 * 3_600_000);

    const screen = await api.get(`/resources/Performance/records/${perf.id}/movePerformance`);
    expect(screen.json.record.params).toMatchObject({ actionPreview: "movePerformancePreview", actionPreviewValues: JSON.stringify({ count: 2 }) });

    const edit = await api.post(`/resources/Performance/records/${perf.id}/edit`, { startsAt: later.toISOString() });
    expect(edit.status).toBe(200);
    expect(edit.json.record.errors.startsAt.message).toMatch(/2 people hold tickets: use “Move performance”/);

    const missing = await api.post(`/resources/Performance/records/${perf.id}/movePerformance`, { confirm: "yes" });
    expect(missing.json.notice).toMatchObject({ type: "error", message: "Enter the new date and time." });
    const bad = await api.post(`/resources/Performance/records/${perf.id}/movePerformance`, { confirm: "yes", startsAt: "next tuesday-ish" });
    expect(bad.json.notice).toMatchObject({ type: "error", message: "Enter a valid date and time." });

    const moved = await api.post(`/resources/Performance/records/${perf.id}/movePerformance`, { confirm: "yes", startsAt: later.toISOString() });
    expect(moved.json.notice).toMatchObject({ type: "success", message: "movePerformanceDone", options: { count: 2 } });
    expect((await h.db.prisma.performance.findUniqueOrThrow({ where: { id: perf.id } })).startsAt.toISOString()).toBe(later.toISOString());
    expect(await h.db.prisma.emailOutbox.count({ where: { kind: "performance_moved", reservation: { performanceId: perf.id } } })).toBe(2);
    const same = await api.post(`/resources/Performance/records/${perf.id}/movePerformance`, { confirm: "yes", startsAt: later.toISOString() });
    expect(same.json.notice.message).toBe("movePerformanceUnchanged");
    expect(await h.db.prisma.emailOutbox.count({ where: { kind: "performance_moved", reservation: { performanceId: perf.id } } })).toBe(2);
  });
});

describe("undoing a check-in", () => {
  it("asks for a reason, takes the check-in back, and keeps the reason in the audit log (from the reservation and from the check-in)", async () => {
    const perf = await factories.performance(h.db.prisma);
    const { user: door } = await factories.user(h.db.prisma, { role: "staff" });
    const [a, b] = [await confirmed(perf.id), await confirmed(perf.id)];
    for (const r of [a, b]) await h.db.prisma.checkIn.create({ data: { reservationId: r.id, checkedInById: door.id } });

    const noReason = await api.post(`/resources/Reservation/records/${a.id}/undoCheckIn`, { confirm: "yes" });
    expect(noReason.json.notice).toMatchObject({ type: "error", message: "Say why the check-in is undone." });
    expect(await h.db.prisma.checkIn.count({ where: { reservationId: a.id } })).toBe(1);

    const undone = await api.post(`/resources/Reservation/records/${a.id}/undoCheckIn`, { confirm: "yes", reason: "Scanned the wrong ticket" });
    expect(undone.json.notice).toMatchObject({ type: "success" });
    expect(await h.db.prisma.checkIn.count({ where: { reservationId: a.id } })).toBe(0);
    const notIn = await api.post(`/resources/Reservation/records/${a.id}/undoCheckIn`, { confirm: "yes", reason: "again" });
    expect(notIn.json.notice).toMatchObject({ type: "error", message: "This party is not checked in." });

    const checkIn = await h.db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: b.id } });
    const fromList = await api.post(`/resources/CheckIn/records/${checkIn.id}/undoCheckIn`, { confirm: "yes", reason: "Counted twice" });
    expect(fromList.json.notice).toMatchObject({ type: "success" });
    expect(fromList.json.redirectUrl).toBe("/admin/resources/CheckIn");
    expect(await h.db.prisma.checkIn.count({ where: { reservationId: b.id } })).toBe(0);

    const audits = await h.db.prisma.auditLog.findMany({ where: { action: "checkin.undo", entityId: { in: [a.id, b.id] } }, orderBy: { createdAt: "asc" } });
    expect(audits.map((x) => [x.entityId, x.userId, (x.changes as { reason?: string }).reason])).toEqual([
      [a.id, adminId, "Scanned the wrong ticket"],
      [b.id, adminId, "Counted twice"],
    ]);
  });
});

describe("adding a run of dates", () => {
  it("previews the dates of a weekday pattern and a list, saving nothing; then creates them all with the same show, venue and seats", async () => {
    const venue = await factories.venue(h.db.prisma, { timeZone: "Europe/Rome" });
    const perf = await factories.performance(h.db.prisma, {
      venueId: venue.id,
      roomCapacity: 77,
      additionalSeats: 3,
      startsAt: new Date("2031-03-01T20:00:00Z"),
    });
    const fields = { from: "2031-03-03", to: "2031-03-09", weekdays: "2-4, 6", time: "21:00", dates: "2031-03-15 16:30\n" };
    const preview = await api.post(`/resources/Performance/records/${perf.id}/addDates`, { preview: "yes", ...fields });
    expect(preview.status).toBe(200);
    expect(preview.json.dryRun).toMatchObject({ key: "addDatesPreview", values: { count: 5 } });
    expect(preview.json.dryRun.values.dates.split("\n")).toHaveLength(5);
    expect(await h.db.prisma.performance.count({ where: { showId: perf.showId } })).toBe(1);

    const bad = await api.post(`/resources/Performance/records/${perf.id}/addDates`, { confirm: "yes", dates: "31/03/2031" });
    expect(bad.json.notice).toMatchObject({ type: "error", message: "Write each date as YYYY-MM-DD HH:MM" });
    const badDays = await api.post(`/resources/Performance/records/${perf.id}/addDates`, {
      confirm: "yes",
      from: "2031-03-03",
      to: "2031-03-09",
      weekdays: "mon",
      time: "21:00",
    });
    expect(badDays.json.notice.type).toBe("error");

    const created = await api.post(`/resources/Performance/records/${perf.id}/addDates`, { confirm: "yes", ...fields });
    expect(created.json.notice).toMatchObject({ type: "success", message: "addDatesDone", options: { count: 5 } });
    const run = await h.db.prisma.performance.findMany({ where: { showId: perf.showId, id: { not: perf.id } }, orderBy: { startsAt: "asc" } });
    // Tue 4, Wed 5, Thu 6, Sat 8 March at 21:00 in Rome (UTC+1), and the listed Saturday matinee.
    expect(run.map((p) => [p.startsAt.toISOString(), p.venueId, p.roomCapacity, p.additionalSeats])).toEqual([
      ["2031-03-04T20:00:00.000Z", venue.id, 77, 3],
      ["2031-03-05T20:00:00.000Z", venue.id, 77, 3],
      ["2031-03-06T20:00:00.000Z", venue.id, 77, 3],
      ["2031-03-08T20:00:00.000Z", venue.id, 77, 3],
      ["2031-03-15T15:30:00.000Z", venue.id, 77, 3],
    ]);
  });
});

describe("the on-sale window in the back-office", () => {
  it("every form shows every field it edits (a layout renders only what it names)", async () => {
    const page = await fetch(`${h.base}/admin`, { headers: { cookie: cookie! } });
    // AdminJS sends each action's layout as elements naming `properties`, nested in `layoutElements`.
    type Element = { properties?: string[]; layoutElements?: Element[] };
    type State = { resources: { id: string; editProperties: { propertyPath: string }[]; actions: { name: string; layout?: Element[] | null }[] }[] };
    const state = JSON.parse((await page.text()).match(/window\.REDUX_STATE = (.*);\n/)![1]!) as State;
    const named = (elements: Element[]): string[] => elements.flatMap((e) => [...(e.properties ?? []), ...named(e.layoutElements ?? [])]);
    const missing: string[] = [];
    for (const resource of state.resources) {
      for (const action of resource.actions.filter((a) => (a.name === "new" || a.name === "edit") && a.layout)) {
        const shown = new Set(named(action.layout ?? []));
        for (const p of resource.editProperties) if (!shown.has(p.propertyPath)) missing.push(`${resource.id}.${action.name}: ${p.propertyPath}`);
      }
    }
    expect(state.resources.find((r) => r.id === "Performance")?.editProperties.map((p) => p.propertyPath)).toContain("bookingOpensAt");
    expect(missing).toEqual([]);
  });

  it("sets, checks and clears when booking opens and closes", async () => {
    const perf = await factories.performance(h.db.prisma, { startsAt: new Date("2031-06-10T19:00:00Z") });
    const edit = (fields: Record<string, string>) => api.post(`/resources/Performance/records/${perf.id}/edit`, fields);
    const late = await edit({ bookingOpensAt: "2031-06-11T10:00:00.000Z" });
    expect(late.json.record.errors.bookingOpensAt.message).toMatch(/must open before it closes/);
    const after = await edit({ bookingClosesAt: "2031-06-10T20:00:00.000Z" });
    expect(after.json.record.errors.bookingClosesAt.message).toMatch(/cannot close after the performance starts/);
    const ok = await edit({ bookingOpensAt: "2031-05-01T08:00:00.000Z", bookingClosesAt: "2031-06-10T17:00:00.000Z" });
    expect(ok.json.notice).toMatchObject({ type: "success" });
    expect(await h.db.prisma.performance.findUniqueOrThrow({ where: { id: perf.id } })).toMatchObject({
      bookingOpensAt: new Date("2031-05-01T08:00:00.000Z"),
      bookingClosesAt: new Date("2031-06-10T17:00:00.000Z"),
    });
    expect((await edit({ bookingOpensAt: "" })).json.notice).toMatchObject({ type: "success" });
    expect((await h.db.prisma.performance.findUniqueOrThrow({ where: { id: perf.id } })).bookingOpensAt).toBeNull();
  });
});

describe("the printable door list", () => {
  it("lists the confirmed parties by name with code, seats, source and who is in; names are escaped; no contact details", async () => {
    const perf = await factories.performance(h.db.prisma);
    const { user: door } = await factories.user(h.db.prisma, { role: "staff" });
    const inside = await confirmed(perf.id, { name: "Bianca <script>alert(1)</script>", partySize: 3, phone: "+39 333 000" });
    await confirmed(perf.id, { name: "Aldo Walk-in", partySize: 1, email: null, source: "box_office" });
    await factories.reservation(h.db.prisma, { performanceId: perf.id, name: "Pending Person", status: "pending" });
    await h.db.prisma.checkIn.create({ data: { reservationId: inside.id, checkedInById: door.id } });
    const codes = await h.db.prisma.reservation.findMany({ where: { performanceId: perf.id, status: "confirmed" }, select: { bookingCode: true } });

    const res = await fetch(`${h.base}/admin/export/performances/${perf.id}/door-list`, { headers: { cookie: cookie!, "accept-language": "en" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("@page { size: A4 portrait");
    expect(html.indexOf("Aldo Walk-in")).toBeLessThan(html.indexOf("Bianca"));
    expect(html).toContain("Bianca &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
    for (const { bookingCode } of codes) expect(html).toContain(bookingCode);
    expect(html).toContain("box office");
    expect(html).not.toContain("Pending Person");
    expect(html).not.toContain("+39 333 000");
    expect(html).not.toContain(inside.email!);
    expect(html).toContain("2 parties · 4 people · 3 already in");

    const italian = await (
      await fetch(`${h.base}/admin/export/performances/${perf.id}/door-list`, { headers: { cookie: cookie!, "accept-language": "it" } })
    ).text();
    expect(italian).toContain("2 gruppi · 4 persone · 3 già entrate");
    expect((await fetch(`${h.base}/admin/export/performances/00000000-0000-4000-8000-000000000000/door-list`, { headers: { cookie: cookie! } })).status).toBe(
      404,
    );
    const stranger = await fetch(`${h.base}/admin/export/performances/${perf.id}/door-list`, { redirect: "manual" });
    expect([302, 401]).toContain(stranger.status);
  });
});

describe("who may run them", () => {
  it("a staff member cannot sign in, and a session whose admin became staff reaches none of the actions; nothing changes", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 10 });
    const holder = await confirmed(perf.id);
    const { user: door } = await factories.user(h.db.prisma, { role: "staff" });
    await h.db.prisma.checkIn.create({ data: { reservationId: holder.id, checkedInById: door.id } });
    const checkIn = await h.db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: holder.id } });
    const later = new Date(perf.startsAt.getTime() + 3_600_000).toISOString();
    const attempts: [string, Record<string, string | number>][] = [
      ["/resources/Reservation/actions/new", { performance: perf.id, name: "Sneaky", partySize: 1 }],
      [`/resources/Performance/records/${perf.id}/cancelPerformance`, { confirm: "yes" }],
      [`/resources/Performance/records/${perf.id}/movePerformance`, { confirm: "yes", startsAt: later }],
      [`/resources/Reservation/records/${holder.id}/undoCheckIn`, { confirm: "yes", reason: "x" }],
      [`/resources/CheckIn/records/${checkIn.id}/undoCheckIn`, { confirm: "yes", reason: "x" }],
      [`/resources/Reservation/records/${holder.id}/printTicket`, { confirm: "yes" }],
      [`/resources/Reservation/records/${holder.id}/changeReservation`, { confirm: "yes", partySize: 1 }],
      [`/resources/Performance/records/${perf.id}/addDates`, { confirm: "yes", dates: "2031-05-01 21:00" }],
    ];

    const staff = await factories.user(h.db.prisma, { role: "staff" });
    expect((await login(h.base, staff.user.email, staff.password)).cookie).toBeNull();
    const stranger = adminApi(h.base, null);

    const demoted = await factories.user(h.db.prisma, { role: "admin" });
    const { cookie } = await login(h.base, demoted.user.email, demoted.password);
    const demotedApi = adminApi(h.base, cookie);
    // Control: while an admin, the session reaches the action screens.
    expect((await demotedApi.get(`/resources/Performance/records/${perf.id}/cancelPerformance`)).status).toBe(200);
    await h.db.prisma.user.update({ where: { id: demoted.user.id }, data: { role: "staff" } });

    for (const client of [stranger, demotedApi]) {
      for (const [path, fields] of attempts) {
        const res = await client.post(path, fields);
        expect(res.status, path).toBe(302);
        expect(res.location, path).toBe("/admin/login");
      }
    }
    expect(await h.db.prisma.performance.findUniqueOrThrow({ where: { id: perf.id } })).toMatchObject({ status: "scheduled", startsAt: perf.startsAt });
    expect(await h.db.prisma.reservation.count({ where: { performanceId: perf.id } })).toBe(1);
    expect(await h.db.prisma.performance.count({ where: { showId: perf.showId } })).toBe(1);
    expect(await h.db.prisma.checkIn.count({ where: { reservationId: holder.id } })).toBe(1);
    expect(await h.db.prisma.emailOutbox.count({ where: { reservationId: holder.id } })).toBe(0);
  });
});
