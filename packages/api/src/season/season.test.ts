import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelTicket } from "../tickets/tickets.service.ts";
import { confirmReservation, createReservation } from "../booking/booking.service.ts";
import type { AppConfig } from "../config.ts";
import { setConfig } from "../config.ts";
import { createMailTransport } from "../mail/transport.ts";
import { deliverPendingEmails } from "../mail/outbox.service.ts";
import { startTestSmtp, type TestSmtp } from "../testing/smtp.ts";
import { expectReason } from "../checkin/checkin.fixtures.ts";
import { testCaller, testConfig } from "../testing/index.ts";
import { cancelPerformance, createBoxOfficeReservation, movePerformance } from "./season.service.ts";

const HOUR = 3_600_000;
let db: TestDatabase;
let smtp: TestSmtp;
let config: AppConfig;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startTestSmtp();
  config = testConfig({ RATE_LIMITS: "false", MAX_PARTY_SIZE: "6", MAX_SEATS_PER_EMAIL: "4", SMTP_URL: smtp.url, PUBLIC_READ_CACHE_MS: "0" });
  setConfig(config);
}, 120_000);
afterAll(async () => {
  await db?.drop();
  await smtp?.close();
});

async function deliverAll() {
  await deliverPendingEmails(db.prisma, createMailTransport(config), { batch: 100, from: config.MAIL_FROM });
}

describe("the on-sale window", () => {
  it("answers booking_not_open_yet with opensAt before it opens, booking_closed after it closes", async () => {
    const opensAt = new Date(Date.now() + 24 * HOUR);
    const p = await factories.performance(db.prisma, { bookingOpensAt: opensAt, bookingClosesAt: new Date(Date.now() + 40 * HOUR) });
    const caller = testCaller(db.prisma, { config });
    const input = { performanceId: p.id, name: "Anna", email: "anna@example.org", partySize: 2 };
    const data = await expectReason(caller.booking.create(input), "CONFLICT", "booking_not_open_yet");
    expect(data.opensAt).toBe(opensAt.toISOString());

    const item = await caller.catalogue.performance({ id: p.id });
    expect(item).toMatchObject({ status: "scheduled", bookingEnabled: false, bookingOpensAt: opensAt.toISOString() });

    // At the opening instant it is on sale; after the closing time it is closed.
    await expect(createReservation(db.prisma, config, input, new Date(opensAt.getTime()))).resolves.toMatchObject({ status: "pending" });
    await expect(createReservation(db.prisma, config, input, new Date(Date.now() + 41 * HOUR))).rejects.toMatchObject({ reason: "booking_closed" });
  });
});

describe("the per-person limit", () => {
  it("refuses more than MAX_SEATS_PER_EMAIL confirmed seats per email on create and again on confirm", async () => {
    const p = await factories.performance(db.prisma);
    const caller = testCaller(db.prisma, { config });
    const input = { performanceId: p.id, name: "Bea", email: "bea@example.org", partySize: 3 };
    // Two pending requests fit on their own (nothing confirmed yet)...
    const first = await createReservation(db.prisma, config, input);
    const second = await createReservation(db.prisma, config, input);
    await confirmReservation(db.prisma, config, first.confirmationToken);
    // ...the second one's confirmation is checked under the lock: 3 + 3 > 4.
    await expectReason(caller.booking.confirm({ token: second.confirmationToken }), "CONFLICT", "limit_per_person");
    await expectReason(caller.booking.create({ ...input, partySize: 2 }), "CONFLICT", "limit_per_person");
    // The box office may exceed it.
    await expect(
      createBoxOfficeReservation(db.prisma, config, { performanceId: p.id, name: "Bea", email: "bea@example.org", partySize: 5 }),
    ).resolves.toMatchObject({
      emailed: true,
    });
  });
});

describe("box-office bookings", () => {
  it("are confirmed at once with a ticket, refuse over capacity with a field error, and work without an email", async () => {
    const p = await factories.performance(db.prisma, { roomCapacity: 5 });
    const booked = await createBoxOfficeReservation(db.prisma, config, { performanceId: p.id, name: "Walk-in", partySize: 3 });
    expect(booked.emailed).toBe(false);
    expect(booked.ticketUrl).toMatch(/\/tickets\//);
    const row = await db.prisma.reservation.findUniqueOrThrow({ where: { id: booked.reservationId }, include: { tokens: true } });
    expect(row).toMatchObject({ status: "confirmed", source: "box_office", email: null });
    expect(row.tokens.map((t) => t.purpose)).toEqual(["check_in"]);

    const refused = await createBoxOfficeReservation(db.prisma, config, { performanceId: p.id, name: "Late", partySize: 3 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: "not_enough_seats", details: { availableSeats: 2, issues: [{ path: "partySize" }] } });
  });
});

describe("emails, read back from SMTP", () => {
  it("cancelled performance (it/en), box-office ticket, self-cancel, moved with the same .ics UID", async () => {
    smtp.messages.length = 0;
    const p = await factories.performance(db.prisma, { roomCapacity: 40 });
    const it1 = await createBoxOfficeReservation(db.prisma, config, {
      performanceId: p.id,
      name: "Carla",
      email: "carla@example.org",
      partySize: 2,
      locale: "it",
    });
    const en1 = await createBoxOfficeReservation(db.prisma, config, {
      performanceId: p.id,
      name: "John",
      email: "john@example.org",
      partySize: 1,
      locale: "en",
    });
    await deliverAll();
    const ticketIt = await smtp.waitForMessage((m) => JSON.stringify(m.to).includes("carla@") && /biglietto/i.test(m.subject ?? ""));
    expect(ticketIt.text).toMatch(/biglietteria/);
    expect(ticketIt.html).toContain("biglietteria");

    // Moved: the .ics keeps the ticket email's UID: the public booking code, never the
    // reservation id (issue 13, finding 11), the same across the move.
    const { bookingCode } = await db.prisma.reservation.findUniqueOrThrow({ where: { id: en1.reservationId } });
    const ticketEn = await smtp.waitForMessage((m) => JSON.stringify(m.to).includes("john@") && /Your ticket/.test(m.subject ?? ""));
    const ticketIcs = ticketEn.attachments.find((a) => a.filename === "performance.ics")!.content.toString("utf8");
    expect(ticketIcs).toContain(`UID:${bookingCode}@sipario`);
    expect(ticketEn.text).toContain(bookingCode);
    const newStart = new Date(p.startsAt.getTime() + 24 * HOUR);
    const move = await movePerformance(db.prisma, config, p.id, { startsAt: newStart });
    expect(move).toMatchObject({ moved: true, told: 2 });
    await deliverAll();
    const movedEn = await smtp.waitForMessage((m) => JSON.stringify(m.to).includes("john@") && /New date/.test(m.subject ?? ""));
    expect(movedEn.text).toMatch(/It was:/);
    const ics = movedEn.attachments.find((a) => a.filename === "performance.ics")!.content.toString("utf8");
    expect(ics).toContain(`UID:${bookingCode}@sipario`);
    expect(ics + ticketIcs).not.toContain(en1.reservationId);
    const ticketTokenExpiry = await db.prisma.reservationToken.findFirstOrThrow({ where: { reservationId: en1.reservationId, purpose: "check_in" } });
    expect(ticketTokenExpiry.expiresAt.getTime()).toBeGreaterThan(newStart.getTime());

    // Self-cancel: the visitor's own cancellation is confirmed by email.
    await cancelTicket(db.prisma, en1.ticketToken);
    await deliverAll();
    const selfCancel = await smtp.waitForMessage((m) => JSON.stringify(m.to).includes("john@") && /Booking cancelled/.test(m.subject ?? ""));
    expect(selfCancel.html).toContain("free again");

    // Cancelled performance: each holder once, in their language.
    const result = await cancelPerformance(db.prisma, config, p.id, { actor: { label: "admin@example.org" } });
    expect(result).toMatchObject({ cancelledNow: true, told: 1 });
    expect(await cancelPerformance(db.prisma, config, p.id)).toMatchObject({ cancelledNow: false, told: 0 });
    await deliverAll();
    const cancelledIt = await smtp.waitForMessage((m) => JSON.stringify(m.to).includes("carla@") && /annullato/.test(m.subject ?? ""));
    expect(cancelledIt.text).toMatch(/Ci dispiace/);
    expect(cancelledIt.html).toContain("biglietteria@azionelab.example");
    expect(smtp.messages.filter((m) => /annullato|cancelled: /i.test(m.subject ?? "") && JSON.stringify(m.to).includes("carla@"))).toHaveLength(1);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { entity: "Performance", entityId: p.id, action: "performance.cancel" } });
    expect(audit.changes).toMatchObject({ told: 1 });
    expect(it1.ticketToken).not.toBe("");

    // The catalogue keeps it listed as cancelled, not bookable.
    const item = await testCaller(db.prisma, { config }).catalogue.performance({ id: p.id });
    expect(item).toMatchObject({ status: "cancelled", bookingEnabled: false });
  });
});
