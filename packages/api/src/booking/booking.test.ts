import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppConfig } from "../config.ts";
import { testCaller, testConfig } from "../testing/index.ts";
import { cancelReservation } from "../cancellation/cancellation.service.ts";
import { adminConfirmReservation } from "./booking.service.ts";
import { resendConfirmationEmail, resendTicketEmail } from "./resend.service.ts";
import { confirmReservation, createReservation, describeConfirmation, expireStaleReservations } from "./booking.service.ts";

let db: TestDatabase;
let config: AppConfig;
beforeAll(async () => {
  db = await createTestDatabase();
  config = testConfig({ RATE_LIMITS: "false", MAX_PARTY_SIZE: "6" });
});
afterAll(async () => {
  await db?.drop();
});

const HOUR = 3_600_000;
const visitor = { name: "Giulia Bianchi", email: "giulia@example.org" };

/** A pending reservation and its raw confirmation token, straight from the service. */
async function book(performanceId: string, partySize = 2, now?: Date) {
  return createReservation(db.prisma, config, { performanceId, ...visitor, partySize }, now);
}

/** The error's `data` as a client sees it (code, httpStatus, reason). */
async function reasonOf(p: Promise<unknown>): Promise<{ code: string; reason: string } | "ok"> {
  try {
    await p;
    return "ok";
  } catch (error) {
    const e = error as { code?: string; cause?: { reason?: string; issues?: unknown } };
    const reason = e.cause && "reason" in e.cause ? e.cause.reason! : e.cause && "issues" in e.cause ? "invalid_input" : "?";
    return { code: e.code ?? "?", reason };
  }
}

describe("booking.create", () => {
  it("creates a pending reservation with a hashed, expiring confirmation token and queues the email", async () => {
    const p = await factories.performance(db.prisma);
    const api = testCaller(db.prisma, { config });
    const r = await api.booking.create({ performanceId: p.id, name: "  Anna  ", email: "Anna@Example.ORG", partySize: 2, phone: "", notes: "Sedia a rotelle" });
    expect(r).toEqual({ reservationId: expect.any(String), status: "pending", performanceId: p.id, partySize: 2 });
    const row = await db.prisma.reservation.findUniqueOrThrow({ where: { id: r.reservationId }, include: { tokens: true, emails: true } });
    expect(row).toMatchObject({ name: "Anna", email: "anna@example.org", phone: null, notes: "Sedia a rotelle", status: "pending", locale: "it" });
    expect(row.tokens).toHaveLength(1);
    expect(row.tokens[0]).toMatchObject({ purpose: "confirmation", usedAt: null });
    expect(row.tokens[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const ttl = row.tokens[0]!.expiresAt.getTime() - row.createdAt.getTime();
    expect(ttl).toBeGreaterThan(23.9 * HOUR);
    expect(ttl).toBeLessThan(24.1 * HOUR);
    expect(row.emails).toHaveLength(1);
    expect(row.emails[0]).toMatchObject({ kind: "confirmation", status: "pending", toAddress: "anna@example.org" });
    // Pending holds no seats.
    expect((await api.catalogue.performance({ id: p.id })).availableSeats).toBe(50);
  });

  it("the confirmation link never outlives the start of the performance", async () => {
    const p = await factories.performance(db.prisma, { startsAt: new Date(Date.now() + 2 * HOUR) });
    const r = await book(p.id);
    expect(r.expiresAt.getTime()).toBe(p.startsAt.getTime());
  });

  it("rejects invalid input with BAD_REQUEST invalid_input", async () => {
    const p = await factories.performance(db.prisma);
    const api = testCaller(db.prisma, { config });
    const ok = { performanceId: p.id, name: "X", email: "x@example.org", partySize: 1 };
    const bad: unknown[] = [
      { ...ok, extra: true },
      { ...ok, status: "confirmed" },
      { ...ok, email: "not-an-email" },
      { ...ok, name: "   " },
      { ...ok, name: "a\r\nBcc: x@y" },
      { ...ok, name: "x".repeat(201) },
      { ...ok, partySize: 0 },
      { ...ok, partySize: 1.5 },
      { ...ok, partySize: "2" },
      { ...ok, partySize: 7 }, // over MAX_PARTY_SIZE=6 (service check)
      { ...ok, performanceId: "123" },
      { ...ok, phone: "call me maybe" },
      { ...ok, notes: "n".repeat(1001) },
      { ...ok, locale: "fr" },
      null,
    ];
    for (const input of bad) {
      expect(await reasonOf(api.booking.create(input as never)), JSON.stringify(input)).toEqual({ code: "BAD_REQUEST", reason: "invalid_input" });
    }
    expect(await db.prisma.reservation.count({ where: { performanceId: p.id } })).toBe(0);
  });

  it("names every wrong field at once, the party over MAX_PARTY_SIZE included", async () => {
    const p = await factories.performance(db.prisma);
    const api = testCaller(db.prisma, { config });
    const error = await api.booking.create({ performanceId: p.id, name: "", email: "not-an-email", partySize: 7 }).catch((e: unknown) => e);
    const issues = ((error as { cause?: { issues?: { path: PropertyKey[] }[] } }).cause?.issues ?? []).map((i) => i.path.join("."));
    expect(issues.sort()).toEqual(["email", "name", "partySize"]);
  });

  it("NOT_FOUND for a missing performance or an unpublished show; booking_closed when disabled or started", async () => {
    const api = testCaller(db.prisma, { config });
    const input = (performanceId: string) => ({ performanceId, ...visitor, partySize: 1 });
    expect(await reasonOf(api.booking.create(input("00000000-0000-4000-8000-000000000000")))).toEqual({ code: "NOT_FOUND", reason: "not_found" });
    const hidden = await factories.performance(db.prisma, { showId: (await factories.show(db.prisma, { isPublished: false })).id });
    expect(await reasonOf(api.booking.create(input(hidden.id)))).toEqual({ code: "NOT_FOUND", reason: "not_found" });
    const disabled = await factories.performance(db.prisma, { isBookingEnabled: false });
    expect(await reasonOf(api.booking.create(input(disabled.id)))).toEqual({ code: "CONFLICT", reason: "booking_closed" });
    const past = await factories.performance(db.prisma, { startsAt: new Date(Date.now() - HOUR) });
    expect(await reasonOf(api.booking.create(input(past.id)))).toEqual({ code: "CONFLICT", reason: "booking_closed" });
  });

  it("not_enough_seats when the party does not fit the seats available now", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 6, manuallyOccupiedSeats: 1 });
    await factories.reservation(db.prisma, { performanceId: p.id, status: "confirmed", partySize: 3 });
    const api = testCaller(db.prisma, { config });
    const err = await api.booking.create({ performanceId: p.id, ...visitor, partySize: 3 }).catch((e) => e);
    expect(err).toMatchObject({ code: "CONFLICT", cause: { reason: "not_enough_seats", details: { availableSeats: 2 } } });
    await expect(api.booking.create({ performanceId: p.id, ...visitor, partySize: 2 })).resolves.toMatchObject({ status: "pending" });
  });

  it("rate limits per address and per email (TOO_MANY_REQUESTS rate_limited)", async () => {
    const limited = testConfig({ RATE_LIMITS: "true" });
    const p = await factories.performance(db.prisma);
    const sameAddress = testCaller(db.prisma, { config: limited, clientAddress: "198.51.100.7" });
    // Per email: 5 per window, whatever the address.
    for (let i = 0; i < 5; i++) {
      const api = testCaller(db.prisma, { config: limited, clientAddress: `198.51.100.${100 + i}` });
      await api.booking.create({ performanceId: p.id, name: "R", email: "repeat@example.org", partySize: 1 });
    }
    const err = await testCaller(db.prisma, { config: limited, clientAddress: "198.51.100.200" })
      .booking.create({ performanceId: p.id, name: "R", email: "REPEAT@example.org", partySize: 1 })
      .catch((e) => e);
    expect(err).toMatchObject({ code: "TOO_MANY_REQUESTS", cause: { reason: "rate_limited" } });
    // Per address: 20 per window, whatever the email.
    let outcome: unknown = "ok";
    for (let i = 0; i < 21 && outcome === "ok"; i++) {
      outcome = await reasonOf(sameAddress.booking.create({ performanceId: p.id, name: "R", email: `r${i}@example.org`, partySize: 1 }));
    }
    expect(outcome).toEqual({ code: "TOO_MANY_REQUESTS", reason: "rate_limited" });
    // The bucket never stores the email itself.
    const keys = (await db.prisma.rateLimitBucket.findMany()).map((b) => b.key).join(" ");
    expect(keys).not.toContain("repeat@example.org");
    // confirm: 30 per address.
    const confirmer = testCaller(db.prisma, { config: limited, clientAddress: "198.51.100.9" });
    let confirmOutcome: unknown;
    for (let i = 0; i < 31; i++) confirmOutcome = await reasonOf(confirmer.booking.confirm({ token: "A".repeat(43) }));
    expect(confirmOutcome).toEqual({ code: "TOO_MANY_REQUESTS", reason: "rate_limited" });
  });
});

describe("booking.confirm", () => {
  it("confirms once; the token then answers token_used and nothing changes", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 10 });
    const { reservationId, confirmationToken } = await book(p.id, 4);
    const api = testCaller(db.prisma, { config });
    const r = await api.booking.confirm({ token: confirmationToken });
    expect(r).toEqual({ reservationId, status: "confirmed", partySize: 4, ticketUrl: expect.stringMatching(/\/tickets\/[A-Za-z0-9_-]{43}$/) });
    const tokens = await db.prisma.reservationToken.findMany({ where: { reservationId }, orderBy: { createdAt: "asc" } });
    expect(tokens.map((t) => [t.purpose, t.usedAt !== null])).toEqual([
      ["confirmation", true],
      ["check_in", false],
    ]);
    // The ticket lasts until the end of the performance day in Rome.
    expect(tokens[1]!.expiresAt.getTime()).toBeGreaterThan(p.startsAt.getTime());
    expect(tokens[1]!.expiresAt.getTime() - p.startsAt.getTime()).toBeLessThanOrEqual(24 * HOUR);
    expect(await reasonOf(api.booking.confirm({ token: confirmationToken }))).toEqual({ code: "CONFLICT", reason: "token_used" });
    expect(await db.prisma.reservationToken.count({ where: { reservationId } })).toBe(2);
    expect(await db.prisma.emailOutbox.count({ where: { reservationId, kind: "ticket" } })).toBe(1);
  });

  it("a venue time zone Intl does not know falls back to TIME_ZONE for the ticket's expiry instead of failing", async () => {
    // The back-office refuses such a zone, but a row written another way (SQL, an ICU
    // update) must not turn every confirmation for that venue into a 500.
    const venue = await factories.venue(db.prisma, { timeZone: "Mars/Olympus_Mons" });
    const startsAt = new Date(Date.UTC(2031, 6, 10, 18, 0));
    const p = await factories.performance(db.prisma, { venueId: venue.id, startsAt });
    const { reservationId, confirmationToken } = await book(p.id, 2, new Date(Date.UTC(2031, 6, 1)));
    await confirmReservation(db.prisma, config, confirmationToken, new Date(Date.UTC(2031, 6, 1, 12)));
    const ticket = await db.prisma.reservationToken.findFirstOrThrow({ where: { reservationId, purpose: "check_in" } });
    // End of 10 July in Europe/Rome (UTC+2 in summer), grace 0.
    expect(ticket.expiresAt.toISOString()).toBe("2031-07-10T22:00:00.000Z");
  });

  it("unknown_token, malformed token, and a ticket token are not confirmation tokens", async () => {
    const api = testCaller(db.prisma, { config });
    expect(await reasonOf(api.booking.confirm({ token: "Z".repeat(43) }))).toEqual({ code: "NOT_FOUND", reason: "unknown_token" });
    expect(await reasonOf(api.booking.confirm({ token: "short" }))).toEqual({ code: "BAD_REQUEST", reason: "invalid_input" });
    expect(await reasonOf(api.booking.confirm({ token: "has spaces and ; quotes'".padEnd(40, "x") }))).toEqual({
      code: "BAD_REQUEST",
      reason: "invalid_input",
    });
    expect(await reasonOf(api.booking.confirm({ token: "A".repeat(43), more: 1 } as never))).toEqual({ code: "BAD_REQUEST", reason: "invalid_input" });
    const p = await factories.performance(db.prisma);
    const { confirmationToken } = await book(p.id);
    const { ticketUrl } = await api.booking.confirm({ token: confirmationToken });
    const ticketToken = ticketUrl.split("/").pop()!;
    expect(await reasonOf(api.booking.confirm({ token: ticketToken }))).toEqual({ code: "NOT_FOUND", reason: "unknown_token" });
  });

  it("token_expired (PRECONDITION_FAILED) marks the reservation expired; the sweep does the same in bulk", async () => {
    const p = await factories.performance(db.prisma);
    const past = new Date(Date.now() - 25 * HOUR);
    const stale = await book(p.id, 2, past);
    const fresh = await book(p.id, 2);
    const staleToo = await book(p.id, 1, past);
    const api = testCaller(db.prisma, { config });
    expect(await reasonOf(api.booking.confirm({ token: stale.confirmationToken }))).toEqual({ code: "PRECONDITION_FAILED", reason: "token_expired" });
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: stale.reservationId } })).status).toBe("expired");
    expect(await expireStaleReservations(db.prisma)).toBe(1);
    const statuses = await db.prisma.reservation.findMany({ where: { performanceId: p.id }, select: { id: true, status: true } });
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
      [stale.reservationId]: "expired",
      [fresh.reservationId]: "pending",
      [staleToo.reservationId]: "expired",
    });
    expect(await expireStaleReservations(db.prisma)).toBe(0);
    // Expired reservations never held seats and free none.
    expect((await api.catalogue.performance({ id: p.id })).availableSeats).toBe(50);
  });

  it("reservation_not_pending for a cancelled reservation; not_enough_seats leaves it pending and the token unused", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 5 });
    const api = testCaller(db.prisma, { config });
    const cancelled = await book(p.id, 1);
    await cancelReservation(db.prisma, cancelled.reservationId);
    // Cancelling consumes the pending link, so it reads as used...
    expect(await reasonOf(api.booking.confirm({ token: cancelled.confirmationToken }))).toEqual({ code: "CONFLICT", reason: "token_used" });
    // ...and a reservation cancelled behind the link's back reads as not pending.
    const other = await book(p.id, 1);
    await db.prisma.reservation.update({ where: { id: other.reservationId }, data: { status: "cancelled" } });
    expect(await reasonOf(api.booking.confirm({ token: other.confirmationToken }))).toEqual({ code: "CONFLICT", reason: "reservation_not_pending" });

    const a = await book(p.id, 3);
    const b = await book(p.id, 3);
    await api.booking.confirm({ token: a.confirmationToken });
    const err = await api.booking.confirm({ token: b.confirmationToken }).catch((e) => e);
    expect(err).toMatchObject({ code: "CONFLICT", cause: { reason: "not_enough_seats", details: { availableSeats: 2 } } });
    const bRow = await db.prisma.reservation.findUniqueOrThrow({ where: { id: b.reservationId }, include: { tokens: true } });
    expect(bRow.status).toBe("pending");
    expect(bRow.tokens.map((t) => t.usedAt)).toEqual([null]);
    // Seats come back: the same link now works.
    await db.prisma.reservation.update({ where: { id: a.reservationId }, data: { status: "cancelled" } });
    await expect(api.booking.confirm({ token: b.confirmationToken })).resolves.toMatchObject({ status: "confirmed" });
  });

  it("describeConfirmation shows what the confirm page needs, without personal data, and changes nothing", async () => {
    const p = await factories.performance(db.prisma);
    const r = await book(p.id, 2);
    const before = await db.prisma.reservation.findUniqueOrThrow({ where: { id: r.reservationId } });
    const d = await describeConfirmation(db.prisma, r.confirmationToken);
    expect(d).toMatchObject({ state: "valid", canConfirm: true, reservationStatus: "pending", partySize: 2, performanceId: p.id });
    expect(JSON.stringify(d)).not.toMatch(/giulia|Bianchi/i);
    expect(await db.prisma.reservation.findUniqueOrThrow({ where: { id: r.reservationId } })).toEqual(before);
    expect((await describeConfirmation(db.prisma, r.confirmationToken, new Date(Date.now() + 48 * HOUR))).state).toBe("expired");
    await confirmReservation(db.prisma, config, r.confirmationToken);
    expect((await describeConfirmation(db.prisma, r.confirmationToken)).state).toBe("used");
    await expect(describeConfirmation(db.prisma, "Q".repeat(43))).rejects.toMatchObject({ reason: "unknown_token" });
  });
});

describe("back-office services", () => {
  it("adminConfirmReservation applies the same capacity rule and confirms expired ones too", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 4 });
    const a = await book(p.id, 3, new Date(Date.now() - 30 * HOUR));
    await expireStaleReservations(db.prisma);
    const confirmed = await adminConfirmReservation(db.prisma, config, a.reservationId, { actor: { label: "admin@example.org" } });
    expect(confirmed.status).toBe("confirmed");
    await expect(adminConfirmReservation(db.prisma, config, a.reservationId)).rejects.toMatchObject({ reason: "reservation_not_pending" });
    const b = await book(p.id, 1);
    const c = await createReservation(db.prisma, config, { performanceId: p.id, ...visitor, partySize: 1 });
    await adminConfirmReservation(db.prisma, config, b.reservationId);
    await expect(adminConfirmReservation(db.prisma, config, c.reservationId)).rejects.toMatchObject({ reason: "not_enough_seats" });
    // The visitor's own link is consumed by an admin confirmation.
    await expect(confirmReservation(db.prisma, config, b.confirmationToken)).rejects.toMatchObject({ reason: "token_used" });
    await expect(adminConfirmReservation(db.prisma, config, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ reason: "not_found" });
    expect(await db.prisma.auditLog.count({ where: { entityId: a.reservationId, action: "reservation.confirm" } })).toBe(1);
  });

  it("cancelReservation frees seats at once, refuses checked-in and already cancelled ones", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 5 });
    const api = testCaller(db.prisma, { config });
    const r = await book(p.id, 5);
    await api.booking.confirm({ token: r.confirmationToken });
    expect((await api.catalogue.performance({ id: p.id })).availableSeats).toBe(0);
    await cancelReservation(db.prisma, r.reservationId, { actor: { label: "staff" } });
    expect((await api.catalogue.performance({ id: p.id })).availableSeats).toBe(5);
    await expect(cancelReservation(db.prisma, r.reservationId)).rejects.toMatchObject({ reason: "reservation_not_confirmed" });
    const s = await book(p.id, 2);
    await api.booking.confirm({ token: s.confirmationToken });
    const { user } = await factories.user(db.prisma);
    await db.prisma.checkIn.create({ data: { reservationId: s.reservationId, checkedInById: user.id } });
    await expect(cancelReservation(db.prisma, s.reservationId)).rejects.toMatchObject({ reason: "already_checked_in" });
    await expect(cancelReservation(db.prisma, "nope")).rejects.toMatchObject({ reason: "not_found" });
  });

  it("resendConfirmationEmail issues a fresh link and kills the old one; resendTicketEmail rotates the ticket", async () => {
    const p = await factories.performance(db.prisma);
    const api = testCaller(db.prisma, { config });
    const r = await book(p.id, 2);
    const resent = await resendConfirmationEmail(db.prisma, config, r.reservationId);
    expect(await reasonOf(api.booking.confirm({ token: r.confirmationToken }))).toEqual({ code: "NOT_FOUND", reason: "unknown_token" });
    const { ticketUrl } = await api.booking.confirm({ token: resent.confirmationToken });
    await expect(resendConfirmationEmail(db.prisma, config, r.reservationId)).rejects.toMatchObject({ reason: "reservation_not_pending" });
    const oldTicket = ticketUrl.split("/").pop()!;
    const rotated = await resendTicketEmail(db.prisma, config, r.reservationId);
    expect(rotated.ticketToken).not.toBe(oldTicket);
    expect(await reasonOf(api.tickets.get({ token: oldTicket }))).toEqual({ code: "NOT_FOUND", reason: "unknown_token" });
    await expect(api.tickets.get({ token: rotated.ticketToken })).resolves.toMatchObject({ status: "confirmed" });
    expect(await db.prisma.emailOutbox.count({ where: { reservationId: r.reservationId } })).toBe(4);
    const pending = await book(p.id, 1);
    await expect(resendTicketEmail(db.prisma, config, pending.reservationId)).rejects.toMatchObject({ reason: "reservation_not_confirmed" });
  });
});
