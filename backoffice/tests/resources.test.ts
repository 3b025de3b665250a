import { startTestSmtp, testCaller, type TestSmtp } from "@sipario/api/testing";
import { factories } from "@sipario/db/testing";
import { verifyPassword } from "@sipario/db";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, login, startBackoffice, type Harness } from "./helpers.ts";

let h: Harness;
let smtp: TestSmtp;
let api: ReturnType<typeof adminApi>;
let adminId: string;

const DAY = 86_400_000;

beforeAll(async () => {
  smtp = await startTestSmtp();
  h = await startBackoffice({ SMTP_URL: smtp.url, ORIGIN: "http://site.test" });
  const { user, password } = await factories.user(h.db.prisma, { role: "admin", email: "boss@azionelab.example" });
  adminId = user.id;
  const { cookie } = await login(h.base, user.email, password);
  expect(cookie).not.toBeNull();
  savedCookie = cookie!;
  api = adminApi(h.base, cookie);
});
afterAll(async () => {
  await h?.stop();
  await smtp?.close();
});

const site = () => testCaller(h.db.prisma, { config: h.config });

async function seats(performanceId: string) {
  return (await site().catalogue.performance({ id: performanceId })).availableSeats;
}

async function performanceWith(opts: { roomCapacity: number; confirmed?: number[]; pending?: number[] }) {
  const perf = await factories.performance(h.db.prisma, { roomCapacity: opts.roomCapacity });
  const reservations = [];
  for (const partySize of opts.confirmed ?? []) {
    reservations.push(await factories.reservation(h.db.prisma, { performanceId: perf.id, partySize, status: "confirmed", confirmedAt: new Date() }));
  }
  for (const partySize of opts.pending ?? []) {
    reservations.push(await factories.reservation(h.db.prisma, { performanceId: perf.id, partySize }));
  }
  return { perf, reservations };
}

describe("the box office finds a booking by its code (issue 13, finding 11; visitor issue 18)", () => {
  it("as the visitor reads it out: any case, without the dash, O for 0", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 10 });
    const r = await factories.reservation(h.db.prisma, { performanceId: perf.id, status: "confirmed", confirmedAt: new Date() });
    const spoken = r.bookingCode.replace("-", " ").toLowerCase().replace(/0/g, "o");
    const list = await api.get(`/resources/Reservation/actions/list?filters.code=${encodeURIComponent(spoken)}`);
    expect(list.status).toBe(200);
    expect(list.json.records.map((x: { id: string }) => x.id)).toEqual([r.id]);
    expect(list.json.records[0].params.bookingCode).toBe(r.bookingCode);
    const nothing = await api.get(`/resources/Reservation/actions/list?filters.code=${encodeURIComponent("not a code!")}`);
    expect(nothing.json.records).toEqual([]);
  });
});

describe("programme through AdminJS's API", () => {
  it("creates a venue, a show and a performance that the site's catalogue.show lists with the right availability", async () => {
    const venue = await api.post("/resources/Venue/actions/new", { name: "Teatro Belli", address: "Piazza di Sant'Apollonia 11", city: "Roma" });
    expect(venue.status).toBe(200);
    expect(venue.json.record.errors).toEqual({});
    expect(venue.json.record.params.slug).toBe("teatro-belli");

    const show = await api.post("/resources/Show/actions/new", { title: "La Città Invisibile", summary: "Un viaggio", isPublished: "true" });
    expect(show.json.record.errors).toEqual({});
    expect(show.json.record.params.slug).toBe("la-citta-invisibile"); // prefilled, accents dropped

    const startsAt = new Date(Date.now() + 10 * DAY).toISOString();
    const perf = await api.post("/resources/Performance/actions/new", {
      show: show.json.record.id,
      venue: venue.json.record.id,
      startsAt,
      roomCapacity: "80",
      additionalSeats: "5",
      manuallyOccupiedSeats: "12",
      isBookingEnabled: "true",
    });
    expect(perf.status).toBe(200);
    expect(perf.json.record.errors).toEqual({});

    const page = await site().catalogue.show({ slug: "la-citta-invisibile" });
    expect(page.title).toBe("La Città Invisibile");
    expect(page.performances).toHaveLength(1);
    expect(page.performances[0]).toMatchObject({
      id: perf.json.record.id,
      venue: { name: "Teatro Belli", city: "Roma" },
      bookingEnabled: true,
      availableSeats: 73,
    });

    // A second show with the same title gets its own slug; a typed duplicate is a form error.
    const again = await api.post("/resources/Show/actions/new", { title: "La Città Invisibile" });
    expect(again.json.record.params.slug).toBe("la-citta-invisibile-2");
    const dup = await api.post("/resources/Show/actions/new", { title: "Other", slug: "la-citta-invisibile" });
    expect(dup.status).toBe(200);
    expect(dup.json.record.errors.slug.message).toMatch(/already used/);
    expect(await h.db.prisma.show.count({ where: { title: "Other" } })).toBe(0);

    // Lists, shows and the audit trail of who created what.
    for (const resource of ["Venue", "Show", "Performance"]) {
      const list = await api.get(`/resources/${resource}/actions/list`);
      expect(list.status).toBe(200);
      expect(list.json.records.length).toBeGreaterThan(0);
      expect(list.json.meta.total).toBe(list.json.records.length);
    }
    const shown = await api.get(`/resources/Performance/records/${perf.json.record.id}/show`);
    expect(shown.json.record.params).toMatchObject({ roomCapacity: 80, availableSeats: 73, confirmedSeats: 0, pendingCount: 0, checkedInCount: 0 });
    const audit = await h.db.prisma.auditLog.findMany({ where: { action: "create", userId: adminId } });
    expect(audit.map((a) => a.entity).sort()).toEqual(["Performance", "Show", "Show", "Venue"]);

    // Search across title/slug/summary, case-insensitive, as in AzioneLab's admin.
    const found = await api.get(`/resources/Show/actions/list?filters.search=${encodeURIComponent("città invis")}`);
    expect(found.json.records.map((r: { params: { slug: string } }) => r.params.slug).sort()).toEqual(["la-citta-invisibile", "la-citta-invisibile-2"]);
    const none = await api.get(`/resources/Show/actions/list?filters.search=nothing-like-this`);
    expect(none.json.records).toEqual([]);

    // A performance with reservations cannot be deleted: a message, not a 500.
    await factories.reservation(h.db.prisma, { performanceId: perf.json.record.id });
    const del = await api.post(`/resources/Performance/records/${perf.json.record.id}/delete`);
    expect(del.status).toBe(200);
    // It says why and points to cancelling the performance (words in locale.ts).
    expect(del.json.notice).toMatchObject({ type: "error", message: "performanceHasBookings" });
    expect(await h.db.prisma.performance.count({ where: { id: perf.json.record.id } })).toBe(1);
  });

  it("refuses a manual-seat count over capacity on create, as a form error", async () => {
    const show = await factories.show(h.db.prisma);
    const venue = await factories.venue(h.db.prisma);
    const before = await h.db.prisma.performance.count();
    const res = await api.post("/resources/Performance/actions/new", {
      show: show.id,
      venue: venue.id,
      startsAt: new Date(Date.now() + DAY).toISOString(),
      roomCapacity: "10",
      manuallyOccupiedSeats: "11",
    });
    expect(res.status).toBe(200);
    expect(res.json.record.errors.manuallyOccupiedSeats.message).toMatch(/cannot exceed/);
    expect(res.json.notice.type).toBe("error");
    expect(await h.db.prisma.performance.count()).toBe(before);
  });

  it("shows computed seat numbers in the performance list", async () => {
    const { perf, reservations } = await performanceWith({ roomCapacity: 30, confirmed: [4, 3], pending: [2] });
    await h.db.prisma.checkIn.create({ data: { reservationId: reservations[0]!.id, checkedInById: adminId, source: "manual" } });
    const list = await api.get(`/resources/Performance/actions/list?filters.show=${perf.showId}`);
    const row = list.json.records.find((r: { id: string }) => r.id === perf.id);
    expect(row.params).toMatchObject({ availableSeats: 23, confirmedSeats: 7, pendingCount: 1, checkedInCount: 4 });
    // Reference pickers find performances by their show's title.
    const show = await h.db.prisma.show.findUniqueOrThrow({ where: { id: perf.showId } });
    const search = await api.get(`/resources/Performance/search/${encodeURIComponent(show.title.toLowerCase())}`);
    expect(search.json.records.map((r: { id: string }) => r.id)).toEqual([perf.id]);
    expect(search.json.records[0].title).toMatch(new RegExp(`^${show.title} · `));
    // Its reservations, one click away (and only its own).
    const shortcut = await api.get(`/resources/Performance/records/${perf.id}/reservations`);
    expect(shortcut.json.redirectUrl).toBe(`/admin/resources/Reservation?filters.performance=${perf.id}`);
    const own = await api.get(`/resources/Reservation/actions/list?filters.performance=${perf.id}`);
    expect(own.json.records.map((r: { id: string }) => r.id).sort()).toEqual(reservations.map((r) => r.id).sort());
  });
});

describe("performance edits go through updatePerformance", () => {
  it("refuses a capacity below the confirmed seats and manual seats over capacity, changing nothing", async () => {
    const { perf } = await performanceWith({ roomCapacity: 20, confirmed: [6, 4] });
    const path = `/resources/Performance/records/${perf.id}/edit`;

    const tooSmall = await api.post(path, { roomCapacity: "8" });
    expect(tooSmall.status).toBe(200);
    expect(tooSmall.json.record.errors.roomCapacity.message).toMatch(/Not enough seats.*10 confirmed seats/);
    expect(tooSmall.json.notice).toMatchObject({ type: "error" });

    const manualTooHigh = await api.post(path, { manuallyOccupiedSeats: "25" });
    expect(manualTooHigh.status).toBe(200);
    expect(manualTooHigh.json.record.errors.manuallyOccupiedSeats.message).toMatch(/cannot exceed/);

    const manualOverConfirmed = await api.post(path, { manuallyOccupiedSeats: "11" }); // 10 confirmed + 11 > 20
    expect(Object.keys(manualOverConfirmed.json.record.errors)).toHaveLength(1);

    const garbage = await api.post(path, { roomCapacity: "-3" });
    expect(garbage.status).toBe(200);
    expect(garbage.json.record.errors.roomCapacity).toBeDefined();

    const row = await h.db.prisma.performance.findUniqueOrThrow({ where: { id: perf.id } });
    expect(row).toMatchObject({ roomCapacity: 20, manuallyOccupiedSeats: 0, additionalSeats: 0 });
    expect(await seats(perf.id)).toBe(10);

    // Control: an edit that leaves room for the confirmed parties is applied and audited, once.
    const ok = await api.post(path, { roomCapacity: "12", manuallyOccupiedSeats: "1" });
    expect(ok.json.record.errors).toEqual({});
    expect(await seats(perf.id)).toBe(1);
    const audit = await h.db.prisma.auditLog.findMany({ where: { entityId: perf.id, userId: adminId } });
    expect(audit.map((a) => a.action)).toEqual(["edit"]);
    expect(audit.find((a) => a.action === "edit")!.changes).toMatchObject({ roomCapacity: { from: 20, to: 12 } });
  });
});

describe("performance create and edit through the services (issue 14)", () => {
  it("one edit of show, venue and seats is one transaction and one audit row; tickets follow the new venue's zone", async () => {
    const rome = await factories.venue(h.db.prisma, { timeZone: "Europe/Rome" });
    const lisbon = await factories.venue(h.db.prisma, { timeZone: "Europe/Lisbon" });
    const perf = await factories.performance(h.db.prisma, { venueId: rome.id, roomCapacity: 120, startsAt: new Date("2031-06-10T22:30:00Z") });
    const r = await factories.reservation(h.db.prisma, {
      performanceId: perf.id,
      status: "confirmed",
      confirmedAt: new Date(),
      email: null,
      source: "box_office",
    });
    const token = await h.db.prisma.reservationToken.create({
      data: { reservationId: r.id, purpose: "check_in", tokenHash: "e".repeat(64), expiresAt: new Date("2031-06-10T22:00:00Z") },
    });
    const show = await factories.show(h.db.prisma);
    const edited = await api.post(`/resources/Performance/records/${perf.id}/edit`, { show: show.id, venue: lisbon.id, roomCapacity: "110" });
    expect(edited.json.record.errors).toEqual({});
    expect(await h.db.prisma.performance.findUniqueOrThrow({ where: { id: perf.id } })).toMatchObject({
      showId: show.id,
      venueId: lisbon.id,
      roomCapacity: 110,
    });
    const audit = await h.db.prisma.auditLog.findMany({ where: { entityId: perf.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "edit",
      userId: adminId,
      changes: { roomCapacity: { from: 120, to: 110 }, venueId: { from: rome.id, to: lisbon.id } },
    });
    // 22:30 UTC is 23:30 on 10 June in Lisbon (00:30 on the 11th in Rome): the day ends at 23:00 UTC, + TICKET_GRACE_HOURS.
    const grace = h.config.TICKET_GRACE_HOURS * 3_600_000;
    const t = await h.db.prisma.reservationToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(t.expiresAt.toISOString()).toBe(new Date(Date.parse("2031-06-10T23:00:00Z") + grace).toISOString());

    // A refusal from the service lands on the form's own field.
    const unknownVenue = await api.post(`/resources/Performance/records/${perf.id}/edit`, { venue: show.id });
    expect(Object.keys(unknownVenue.json.record.errors)).toEqual(["venue"]);
  });
});

describe("reservation actions go through the booking services", () => {
  const action = (id: string, name: string) => api.post(`/resources/Reservation/records/${id}/${name}`, { confirm: "yes" });

  it("cancelling a confirmed reservation frees its seats on the site; GET alone changes nothing", async () => {
    const { perf, reservations } = await performanceWith({ roomCapacity: 10, confirmed: [4] });
    const id = reservations[0]!.id;
    expect(await seats(perf.id)).toBe(6);
    const preview = await api.get(`/resources/Reservation/records/${id}/cancelReservation`);
    expect(preview.status).toBe(200);
    expect((await h.db.prisma.reservation.findUniqueOrThrow({ where: { id } })).status).toBe("confirmed");

    const res = await action(id, "cancelReservation");
    expect(res.json.notice).toMatchObject({ type: "success" });
    expect(res.json.record.params.status).toBe("cancelled");
    expect(await seats(perf.id)).toBe(10);
    const audit = await h.db.prisma.auditLog.findFirst({ where: { entityId: id, action: "reservation.cancel" } });
    expect(audit?.userId).toBe(adminId);

    const twice = await action(id, "cancelReservation");
    expect(twice.status).toBe(200);
    expect(twice.json.notice).toMatchObject({ type: "error", message: expect.stringMatching(/already cancelled/) });
  });

  it("confirms a pending reservation manually (seats taken, ticket emailed) and refuses when seats ran out", async () => {
    const { perf, reservations } = await performanceWith({ roomCapacity: 5, pending: [3, 3] });
    const [first, second] = reservations;
    const ok = await action(first!.id, "confirmManually");
    expect(ok.json.notice).toMatchObject({ type: "success" });
    expect(await seats(perf.id)).toBe(2);
    const ticket = await smtp.waitForMessage((m) => (m.to as { text: string }).text === first!.email);
    expect(ticket.text).toContain("http://site.test/tickets/");

    const refused = await action(second!.id, "confirmManually");
    expect(refused.json.notice.type).toBe("error");
    expect((await h.db.prisma.reservation.findUniqueOrThrow({ where: { id: second!.id } })).status).toBe("pending");
    expect(await seats(perf.id)).toBe(2);
  });

  it("resends the confirmation link and the ticket by email", async () => {
    const { reservations } = await performanceWith({ roomCapacity: 20, confirmed: [2], pending: [1] });
    const [confirmed, pending] = reservations;
    const before = smtp.messages.length;
    const r1 = await action(pending!.id, "resendConfirmation");
    expect(r1.json.notice.type).toBe("success");
    const link = await smtp.waitForMessage((m) => (m.to as { text: string }).text === pending!.email);
    expect(link.text).toContain("http://site.test/confirm/");

    const r2 = await action(confirmed!.id, "resendTicket");
    expect(r2.json.notice.type).toBe("success");
    const ticket = await smtp.waitForMessage((m) => (m.to as { text: string }).text === confirmed!.email);
    expect(ticket.text).toContain("http://site.test/tickets/");
    expect(smtp.messages.length).toBe(before + 2);

    // The service's own rules apply: no ticket for a pending reservation.
    const r3 = await action(pending!.id, "resendTicket");
    expect(r3.json.notice.type).toBe("error");
  });

  it("checks a party in manually, once, and then refuses to cancel it", async () => {
    const { perf, reservations } = await performanceWith({ roomCapacity: 20, confirmed: [2] });
    const id = reservations[0]!.id;
    // A performance today: check-in is only possible on the day.
    await h.db.prisma.performance.update({ where: { id: perf.id }, data: { startsAt: new Date(Date.now() + 3_600_000) } });
    const res = await action(id, "checkInManually");
    expect(res.json.notice).toMatchObject({ type: "success" });
    const checkIn = await h.db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: id } });
    expect(checkIn).toMatchObject({ source: "manual", checkedInById: adminId });
    await action(id, "checkInManually");
    expect(await h.db.prisma.checkIn.count({ where: { reservationId: id } })).toBe(1);
    expect(await h.db.prisma.auditLog.count({ where: { entityId: id, action: "reservation.check_in", userId: adminId } })).toBe(1);
    const cancel = await action(id, "cancelReservation");
    expect(cancel.json.notice).toMatchObject({ type: "error", message: expect.stringMatching(/checked in/) });
  });

  it("bulk-cancels the selected reservations and reports the ones it could not", async () => {
    const { perf, reservations } = await performanceWith({ roomCapacity: 20, confirmed: [2, 3], pending: [1] });
    await h.db.prisma.reservation.update({ where: { id: reservations[2]!.id }, data: { status: "cancelled" } });
    const ids = reservations.map((r) => r.id).join(",");
    const res = await api.post(`/resources/Reservation/bulk/bulkCancel?recordIds=${ids}`, { confirm: "yes" });
    expect(res.status).toBe(200);
    expect(res.json.notice.message).toMatch(/^2 done; 1 refused/);
    expect(await seats(perf.id)).toBe(20);
  });

  it("edits contact details only: status, party size and performance cannot be set by hand", async () => {
    const { perf, reservations } = await performanceWith({ roomCapacity: 10, pending: [2] });
    const other = await factories.performance(h.db.prisma);
    const id = reservations[0]!.id;
    // Seats and performance change through "Change reservation" (capacity under the lock): the form says so.
    const refused = await api.post(`/resources/Reservation/records/${id}/edit`, { name: "Maria Rossi", partySize: "9", performance: other.id });
    expect(refused.json.record.errors.partySize.message).toMatch(/Change reservation/);
    const moved = await api.post(`/resources/Reservation/records/${id}/edit`, { name: "Maria Rossi", performance: other.id });
    expect(moved.json.record.errors.performance.message).toMatch(/Change reservation/);
    expect(await h.db.prisma.reservation.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: reservations[0]!.name,
      partySize: 2,
      performanceId: perf.id,
    });
    // The status is never taken from the form.
    const res = await api.post(`/resources/Reservation/records/${id}/edit`, {
      name: "Maria Rossi",
      status: "confirmed",
      partySize: "2",
      performance: perf.id,
    });
    expect(res.json.record.errors).toEqual({});
    const row = await h.db.prisma.reservation.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ name: "Maria Rossi", status: "pending", partySize: 2, performanceId: perf.id });
    // Audited, without keeping the visitor's personal data in the log.
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({ where: { entityId: id, action: "edit" } });
    expect(audit).toMatchObject({ userId: adminId, changes: { name: "[changed]" } });
    expect(JSON.stringify(audit.changes)).not.toContain("Maria Rossi");
    // The performance is named by its show and time wherever it is referenced.
    const shown = await api.get(`/resources/Reservation/records/${id}/show`);
    const show = await h.db.prisma.show.findUniqueOrThrow({ where: { id: perf.showId } });
    expect(shown.json.record.populated.performance.title).toMatch(new RegExp(`^${show.title} · \\d{2}/\\d{2}/\\d{2}, \\d{2}:\\d{2}$`));
    // "New" is the box-office booking (tests/season.test.ts); reservations are never deleted.
    const r = await api.post(`/resources/Reservation/records/${id}/delete`, { name: "x" });
    expect(r.json.notice).toMatchObject({ type: "error", message: "forbiddenError" });
    expect(await h.db.prisma.reservation.count({ where: { id } })).toBe(1);
  });
});

describe("users", () => {
  it("hashes the password, never returns the hash, and keeps the last admin", async () => {
    const created = await api.post("/resources/User/actions/new", {
      email: "Door@AzioneLab.example",
      name: "Door",
      role: "staff",
      password: "a-long-door-password",
    });
    expect(created.json.record.errors).toEqual({});
    const row = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "door@azionelab.example" } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash, "a-long-door-password")).toBe(true);

    const short = await api.post("/resources/User/actions/new", { email: "x@azionelab.example", role: "staff", password: "short" });
    expect(short.json.record.errors.password.message).toMatch(/at least 10/);

    const list = await api.get("/resources/User/actions/list");
    const shown = await api.get(`/resources/User/records/${row.id}/show`);
    for (const body of [JSON.stringify(list.json), JSON.stringify(shown.json), JSON.stringify(created.json)]) {
      expect(body).not.toMatch(/passwordHash|argon2/);
    }
    // Filtering by the hash is not possible either.
    const probe = await api.get(`/resources/User/actions/list?filters.passwordHash=%24argon2`);
    expect(probe.json.meta.total).toBe(list.json.meta.total);

    // Edit with an empty password keeps it; a new one replaces it.
    await api.post(`/resources/User/records/${row.id}/edit`, { name: "Door team", password: "" });
    expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: row.id } })).passwordHash).toBe(row.passwordHash);
    await api.post(`/resources/User/records/${row.id}/edit`, { password: "another-door-password" });
    const changed = await h.db.prisma.user.findUniqueOrThrow({ where: { id: row.id } });
    expect(await verifyPassword(changed.passwordHash, "another-door-password")).toBe(true);

    // Only the signed-in admin remains an admin (other files' admins live in other databases).
    const admins = await h.db.prisma.user.findMany({ where: { role: "admin" } });
    for (const other of admins.filter((a) => a.id !== adminId)) await h.db.prisma.user.update({ where: { id: other.id }, data: { role: "staff" } });
    const demote = await api.post(`/resources/User/records/${adminId}/edit`, { role: "staff" });
    expect(demote.json.record.errors.role.message).toMatch(/last admin/);
    const remove = await api.post(`/resources/User/records/${adminId}/delete`);
    expect(remove.json.notice).toMatchObject({ type: "error", message: expect.stringMatching(/last admin/) });
    expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: adminId } })).role).toBe("admin");

    // Audit rows name the change but never a password or hash.
    const audit = await h.db.prisma.auditLog.findMany({ where: { entity: "User" } });
    expect(audit.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(audit)).not.toMatch(/door-password|argon2/);
  });
});

describe("operations", () => {
  it("exports a performance's reservations as CSV, neutralising spreadsheet formulas", async () => {
    const { perf } = await performanceWith({ roomCapacity: 20, confirmed: [2] });
    await factories.reservation(h.db.prisma, {
      performanceId: perf.id,
      name: '=HYPERLINK("http://evil")',
      email: "a@example.org",
      partySize: 1,
      notes: 'line1\nline2, "quoted"',
    });
    const res = await fetch(`${h.base}/admin/export/performances/${perf.id}/reservations.csv`, { headers: { cookie: sessionCookie() } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="reservations-\d{4}-\d{2}-\d{2}-show-[a-z0-9-]+\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM: Excel reads the accents as UTF-8
    const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
    const lines = text.trimEnd().split("\r\n");
    // For Italian Excel: ';' between cells, Italian headers and statuses, the venue's clock.
    expect(lines[0]).toBe("Nome;Email;Telefono;Posti;Stato;Prenotata il (Europe/Rome);Confermata il (Europe/Rome);Entrata alle (Europe/Rome);Note");
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")";a@example.org;;1;in attesa di conferma;`);
    expect(text).toMatch(/;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2};/);
    expect(text).toContain(`"line1\nline2, ""quoted"""`);
    // An admin whose browser asks for English gets English headers (still ';').
    const english = await fetch(`${h.base}/admin/export/performances/${perf.id}/reservations.csv`, {
      headers: { cookie: sessionCookie(), "accept-language": "en-GB,en;q=0.9" },
    });
    const englishLines = (await english.text()).replace(/^\uFEFF/, "").split("\r\n");
    expect(englishLines[0]).toBe("Name;Email;Phone;Seats;Status;Booked at (Europe/Rome);Confirmed at (Europe/Rome);Checked in at (Europe/Rome);Notes");
    expect(englishLines.join("\n")).toContain(";awaiting confirmation;");
    const missing = await fetch(`${h.base}/admin/export/performances/00000000-0000-4000-8000-000000000000/reservations.csv`, {
      headers: { cookie: sessionCookie() },
    });
    expect(missing.status).toBe(404);
  });

  it("exports the same list as an Excel workbook: typed cells, local times, names never formulas", async () => {
    const { perf } = await performanceWith({ roomCapacity: 20 });
    // 19:30 in Rome on a winter day is 18:30 UTC: the sheet must say 19:30.
    const confirmedAt = new Date("2026-12-01T18:30:00Z");
    await factories.reservation(h.db.prisma, {
      performanceId: perf.id,
      name: '=HYPERLINK("http://evil")',
      email: "x@example.org",
      partySize: 3,
      status: "confirmed",
      confirmedAt,
    });
    await factories.reservation(h.db.prisma, { performanceId: perf.id, name: "Anna Bianchi", email: "anna@example.org", partySize: 2 });
    const res = await fetch(`${h.base}/admin/export/performances/${perf.id}/reservations.xlsx`, { headers: { cookie: sessionCookie() } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="reservations-\d{4}-\d{2}-\d{2}-show-[a-z0-9-]+\.xlsx"/);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Prenotazioni")!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      "Nome",
      "Email",
      "Telefono",
      "Posti",
      "Stato",
      "Prenotata il (Europe/Rome)",
      "Confermata il (Europe/Rome)",
      "Entrata alle (Europe/Rome)",
      "Note",
    ]);
    expect(sheet.rowCount).toBe(3);
    const rowOf = (email: string) => [2, 3].map((n) => sheet.getRow(n)).find((row) => row.getCell(2).value === email)!;
    const evil = rowOf("x@example.org");
    expect(evil.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(evil.getCell(1).value).toBe('=HYPERLINK("http://evil")');
    expect(evil.getCell(4).value).toBe(3);
    expect(evil.getCell(5).value).toBe("confermata");
    expect((evil.getCell(7).value as Date).toISOString()).toBe("2026-12-01T19:30:00.000Z");
    expect(rowOf("anna@example.org").getCell(1).value).toBe("Anna Bianchi");
    expect(rowOf("anna@example.org").getCell(7).value).toBeNull(); // not confirmed

    const missing = await fetch(`${h.base}/admin/export/performances/00000000-0000-4000-8000-000000000000/reservations.xlsx`, {
      headers: { cookie: sessionCookie() },
    });
    expect(missing.status).toBe(404);
    const anonymous = await fetch(`${h.base}/admin/export/performances/${perf.id}/reservations.xlsx`);
    expect(anonymous.status).toBe(401);
  });

  it("retries a failed email: back to pending, due now, delivered", async () => {
    const reservation = (await performanceWith({ roomCapacity: 5, pending: [1] })).reservations[0]!;
    const email = await h.db.prisma.emailOutbox.create({
      data: {
        kind: "confirmation",
        reservationId: reservation.id,
        toAddress: "retry@example.org",
        subject: "Retry me",
        payload: { text: "hello again", html: "<p>hello again</p>" },
        status: "failed",
        attempts: 8,
        nextAttemptAt: new Date(Date.now() + DAY),
        lastError: "ECONNREFUSED",
      },
    });
    const shown = await api.get(`/resources/EmailOutbox/records/${email.id}/show`);
    expect(JSON.stringify(shown.json)).not.toContain("hello again"); // the body (tokens) is never shown
    const res = await api.post(`/resources/EmailOutbox/records/${email.id}/retry`, { confirm: "yes" });
    expect(res.json.notice.type).toBe("success");
    const delivered = await smtp.waitForMessage((m) => m.subject === "Retry me");
    expect(delivered.text).toContain("hello again");
    const audit = await h.db.prisma.auditLog.findFirst({ where: { entityId: email.id, action: "email.retry" } });
    expect(audit?.userId).toBe(adminId);
    // Once sent (or while pending) it cannot be queued again.
    await expect.poll(async () => (await h.db.prisma.emailOutbox.findUniqueOrThrow({ where: { id: email.id } })).status).toBe("sent");
    const again = await api.post(`/resources/EmailOutbox/records/${email.id}/retry`, { confirm: "yes" });
    expect(again.json.notice).toMatchObject({ type: "error", message: expect.stringMatching(/Only a failed email/) });
  });

  it("serves the dashboard data: upcoming performances with seat numbers, today's check-ins, failed emails", async () => {
    await h.db.prisma.emailOutbox.create({
      data: { kind: "ticket", toAddress: "x@example.org", subject: "Broken", payload: {}, status: "failed", attempts: 8 },
    });
    const res = await api.get("/dashboard");
    expect(res.status).toBe(200);
    expect(res.json.upcoming.length).toBeGreaterThan(0);
    const first = res.json.upcoming[0];
    expect(first).toHaveProperty("availableSeats");
    expect(res.json.checkInsToday.count).toBeGreaterThanOrEqual(1); // the manual check-in above
    expect(res.json.failedEmails.latest.map((e: { subject: string }) => e.subject)).toContain("Broken");
  });

  it("keeps an audit log that admins can filter and cannot edit", async () => {
    const list = await api.get(`/resources/AuditLog/actions/list?filters.action=reservation.cancel`);
    expect(list.json.records.length).toBeGreaterThan(0);
    expect(list.json.records.every((r: { params: { action: string } }) => r.params.action === "reservation.cancel")).toBe(true);
    const id = list.json.records[0].id;
    const edit = await api.post(`/resources/AuditLog/records/${id}/edit`, { action: "forged" });
    expect(edit.json.notice).toMatchObject({ type: "error", message: "forbiddenError" });
    const del = await api.post(`/resources/AuditLog/records/${id}/delete`);
    expect(del.json.notice).toMatchObject({ type: "error", message: "forbiddenError" });
    expect((await h.db.prisma.auditLog.findUniqueOrThrow({ where: { id } })).action).toBe("reservation.cancel");
    const tokens = await api.get("/resources/ReservationToken/actions/list");
    expect(tokens.json.records.every((r: { params: Record<string, unknown> }) => /^[0-9a-f]{64}$/.test(String(r.params.tokenHash)))).toBe(true);
  });

  it("is ready when the database, migrations and SMTP are", async () => {
    const ready = await fetch(`${h.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe("ready");
  });
});

let savedCookie = "";
function sessionCookie(): string {
  return savedCookie;
}

describe("content", () => {
  it("validates venue time zones and poster addresses, creates pages and settings", async () => {
    const tz = await api.post("/resources/Venue/actions/new", { name: "Sala", timeZone: "Mars/Olympus" });
    expect(tz.json.record.errors.timeZone.message).toMatch(/time zone/);
    const poster = await api.post("/resources/Show/actions/new", { title: "Poster", posterImage: "javascript:alert(1)" });
    expect(poster.json.record.errors.posterImage).toBeDefined();
    expect(await h.db.prisma.show.count({ where: { title: "Poster" } })).toBe(0);

    const it1 = await api.post("/resources/Page/actions/new", { title: "Chi siamo", locale: "it", body: "# AzioneLab" });
    const en1 = await api.post("/resources/Page/actions/new", { title: "Chi siamo", locale: "en", body: "# AzioneLab" });
    expect([it1.json.record.params.slug, en1.json.record.params.slug]).toEqual(["chi-siamo", "chi-siamo"]);

    const setting = await api.post("/resources/SiteSetting/actions/new", { key: "companyName", value: "AzioneLab" });
    expect(setting.json.record.errors).toEqual({});
    const edited = await api.post("/resources/SiteSetting/records/companyName/edit", { key: "hijacked", value: "Azione Lab" });
    expect(edited.json.record.errors).toEqual({});
    expect(await h.db.prisma.siteSetting.findMany()).toMatchObject([{ key: "companyName", value: "Azione Lab" }]);
  });
});

describe("texts in both languages and show facts (issue 18)", () => {
  it("creates and edits a show, a venue and a performance in Italian and English, and the site reads them", async () => {
    const show = await api.post("/resources/Show/actions/new", {
      title: "Le serve",
      titleEn: "The Maids",
      summary: "Due serve.",
      summaryEn: "Two maids.",
      runningTimeMinutes: "85",
      ageGuidance: "Dai 14 anni",
      ageGuidanceEn: "Ages 14 and up",
      language: "it",
      isPublished: "true",
    });
    expect(show.json.record.errors).toEqual({});
    const venue = await api.post("/resources/Venue/actions/new", {
      name: "Teatro Piccolo",
      address: "Via Roma 1",
      city: "Roma",
      notes: "Ingresso dal cortile.",
      notesEn: "Entrance from the courtyard.",
      accessInfo: "Senza gradini.",
      accessInfoEn: "Step-free.",
    });
    expect(venue.json.record.errors).toEqual({});
    const perf = await api.post("/resources/Performance/actions/new", {
      show: show.json.record.id,
      venue: venue.json.record.id,
      startsAt: new Date(Date.now() + 3 * DAY).toISOString(),
      roomCapacity: "40",
      isBookingEnabled: "true",
      surtitles: "en",
      note: "Replica relaxed.",
      noteEn: "Relaxed performance.",
    });
    expect(perf.json.record.errors).toEqual({});
    const edited = await api.post(`/resources/Performance/records/${perf.json.record.id}/edit`, { noteEn: "Relaxed performance, house lights up." });
    expect(edited.json.record.errors).toEqual({});
    const badSurtitles = await api.post(`/resources/Performance/records/${perf.json.record.id}/edit`, { surtitles: "English please" });
    expect(badSurtitles.json.record.errors.surtitles).toBeDefined();

    const en = await site().catalogue.performance({ id: perf.json.record.id, locale: "en" });
    expect(en.show).toMatchObject({ title: "The Maids", runningTimeMinutes: 85 });
    expect(en.venue).toMatchObject({ notes: "Entrance from the courtyard.", accessInfo: "Step-free." });
    expect(en).toMatchObject({ surtitles: "en", note: "Relaxed performance, house lights up.", noteLang: "en" });
    const it_ = await site().catalogue.show({ slug: show.json.record.params.slug, locale: "it" });
    expect(it_).toMatchObject({ title: "Le serve", ageGuidance: "Dai 14 anni", language: "it" });
  });
});
