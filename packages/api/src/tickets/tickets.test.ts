import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReservation } from "../booking/booking.service.ts";
import type { AppConfig } from "../config.ts";
import { testCaller, testConfig } from "../testing/index.ts";
import { endOfLocalDay, ticketExpiry } from "../lib/ticket-time.ts";
import { BOOKING_CODE_PATTERN } from "../booking/booking-code.ts";
import { ticketCalendar } from "./tickets.service.ts";
import { generateToken, hashToken } from "../lib/tokens.ts";

let db: TestDatabase;
let config: AppConfig;
beforeAll(async () => {
  db = await createTestDatabase();
  config = testConfig({ RATE_LIMITS: "false", ORIGIN: "https://biglietti.example.org/" });
});
afterAll(async () => {
  await db?.drop();
});

async function confirmedTicket(partySize = 2, performance?: { id: string }) {
  const p = performance ?? (await factories.performance(db.prisma));
  const r = await createReservation(db.prisma, config, {
    performanceId: p.id,
    name: "Paolo Verdi",
    email: "paolo@example.org",
    phone: "+39 06 1234",
    notes: "secret note",
    partySize,
  });
  const api = testCaller(db.prisma, { config });
  const c = await api.booking.confirm({ token: r.confirmationToken });
  return { api, performanceId: p.id, reservationId: r.reservationId, token: c.ticketUrl.split("/").pop()!, ticketUrl: c.ticketUrl };
}

describe("tokens", () => {
  it("are 256-bit base64url and stored as SHA-256 hex", () => {
    const a = generateToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, "base64url")).toHaveLength(32);
    expect(generateToken()).not.toBe(a);
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("ticket time", () => {
  it("the ticket lasts until the end of the performance day in the venue's zone (DST-aware) plus grace", () => {
    // 21:00 in Rome on Saturday 2030-03-30 (UTC+1): the day ends at 23:00Z.
    expect(endOfLocalDay(new Date("2030-03-30T20:00:00Z"), "Europe/Rome").toISOString()).toBe("2030-03-30T23:00:00.000Z");
    // Sunday 2030-03-31, after the clocks went forward at 02:00 (UTC+2): ends at 22:00Z.
    expect(endOfLocalDay(new Date("2030-03-31T18:00:00Z"), "Europe/Rome").toISOString()).toBe("2030-03-31T22:00:00.000Z");
    // 00:30 local on 2030-03-31 is still that Sunday.
    expect(endOfLocalDay(new Date("2030-03-30T23:30:00Z"), "Europe/Rome").toISOString()).toBe("2030-03-31T22:00:00.000Z");
    // 23:30 in Rome in summer (UTC+2) is still the same day.
    expect(endOfLocalDay(new Date("2030-07-10T21:30:00Z"), "Europe/Rome").toISOString()).toBe("2030-07-10T22:00:00.000Z");
    expect(ticketExpiry(new Date("2030-07-10T18:00:00Z"), "Europe/Rome", 6).toISOString()).toBe("2030-07-11T04:00:00.000Z");
  });
});

describe("tickets.get", () => {
  it("returns the ticket with a QR for exactly the ticket URL and no personal data", async () => {
    const { api, token, ticketUrl, reservationId } = await confirmedTicket(3);
    expect(ticketUrl).toBe(`https://biglietti.example.org/tickets/${token}`);
    const t = await api.tickets.get({ token });
    expect(Object.keys(t).sort()).toEqual([
      "bookingCode",
      "checkedInAt",
      "googleCalendarUrl",
      "note",
      "noteLang",
      "partySize",
      "qr",
      "reservationId",
      "show",
      "startsAt",
      "status",
      "venue",
    ]);
    expect(t).toMatchObject({ status: "confirmed", partySize: 3, checkedInAt: null });
    // The public booking code for the pages; the contract's reservationId for the token's holder.
    expect(t.bookingCode).toMatch(BOOKING_CODE_PATTERN);
    expect(t.reservationId).toBe(reservationId);
    // Google Calendar gets the show, time and place, never the ticket link (the credential).
    expect(t.googleCalendarUrl).toMatch(/^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&/);
    expect(t.googleCalendarUrl).not.toContain(token);
    expect(t.qr.pngDataUrl).toMatch(/^data:image\/png;base64,/);
    const text = JSON.stringify(t);
    for (const secret of ["Paolo", "paolo@example.org", "+39", "secret note"]) expect(text).not.toContain(secret);
  });

  it("shows checkedInAt after check-in; NOT_FOUND unknown_token; invalid_input for junk", async () => {
    const { api, token, reservationId } = await confirmedTicket();
    const { user } = await factories.user(db.prisma);
    const at = new Date("2030-01-01T20:00:00Z");
    await db.prisma.checkIn.create({ data: { reservationId, checkedInById: user.id, checkedInAt: at } });
    expect((await api.tickets.get({ token })).checkedInAt).toBe(at.toISOString());
    await expect(api.tickets.get({ token: generateToken() })).rejects.toMatchObject({ code: "NOT_FOUND", cause: { reason: "unknown_token" } });
    await expect(api.tickets.get({ token: "../../etc/passwd" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.tickets.get({} as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("tickets.cancel", () => {
  it("gives the seats back at once; a second cancel is reservation_not_confirmed", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 4 });
    const { api, token, reservationId } = await confirmedTicket(4, p);
    expect((await api.catalogue.performance({ id: p.id })).availableSeats).toBe(0);
    const { bookingCode } = await db.prisma.reservation.findUniqueOrThrow({ where: { id: reservationId } });
    expect(await api.tickets.cancel({ token })).toEqual({ reservationId, bookingCode, status: "cancelled" });
    expect((await api.catalogue.performance({ id: p.id })).availableSeats).toBe(4);
    await expect(api.tickets.cancel({ token })).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "reservation_not_confirmed" } });
    await expect(api.tickets.get({ token })).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "reservation_not_confirmed" } });
    await expect(api.tickets.cancel({ token: generateToken() })).rejects.toMatchObject({ code: "NOT_FOUND", cause: { reason: "unknown_token" } });
  });

  it("refuses after check-in with already_checked_in", async () => {
    const { api, token, reservationId } = await confirmedTicket();
    const { user } = await factories.user(db.prisma);
    await db.prisma.checkIn.create({ data: { reservationId, checkedInById: user.id } });
    await expect(api.tickets.cancel({ token })).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "already_checked_in" } });
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: reservationId } })).status).toBe("confirmed");
  });
});

describe("ticketCalendar", () => {
  it("is an .ics event at the performance time with the ticket link and no personal data", async () => {
    const { token, performanceId, reservationId } = await confirmedTicket();
    const p = await db.prisma.performance.findUniqueOrThrow({ where: { id: performanceId }, include: { show: true } });
    const ics = await ticketCalendar(db.prisma, config, token);
    // The UID is the public booking code (stable across a move), never the reservation id.
    const { bookingCode } = await db.prisma.reservation.findUniqueOrThrow({ where: { id: reservationId } });
    expect(ics).toContain(`UID:${bookingCode}@sipario`);
    expect(ics).not.toContain(reservationId);
    expect(ics).toContain("BEGIN:VCALENDAR");
    const stamp = p.startsAt
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    expect(ics).toContain(`DTSTART:${stamp}`);
    expect(ics.replace(/\r\n[ \t]/g, "")).toContain(token);
    expect(ics).toContain(p.show.title);
    expect(ics).not.toContain("Paolo");
    await expect(ticketCalendar(db.prisma, config, generateToken())).rejects.toMatchObject({ reason: "unknown_token" });
  });
});
