import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReservation } from "../booking/booking.service.ts";
import type { AppConfig } from "../config.ts";
import { flushImmediateDeliveries } from "../mail/outbox.service.ts";
import { startTestSmtp, testCaller, testConfig, type TestSmtp } from "../testing/index.ts";

let db: TestDatabase;
let smtp: TestSmtp;
let config: AppConfig;
const ORIGIN = "https://biglietti.example.org";

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startTestSmtp();
  config = testConfig({ RATE_LIMITS: "false", ORIGIN, SMTP_URL: smtp.url });
});
afterAll(async () => {
  await smtp?.close();
  await db?.drop();
});

const HOUR = 3_600_000;
const links = (text: string, path: string) => [...text.matchAll(new RegExp(`${ORIGIN}/${path}/([A-Za-z0-9_-]{43})`, "g"))].map((m) => m[1]!);

describe("tickets.lost", () => {
  it("emails one list of upcoming confirmed tickets and pending confirmations; the answer carries no token", async () => {
    const show = await factories.show(db.prisma, { title: "Le serve" });
    await db.prisma.show.update({ where: { id: show.id }, data: { titleEn: "The Maids" } });
    const soon = await factories.performance(db.prisma, { showId: show.id, startsAt: new Date(Date.now() + 48 * HOUR) });
    const later = await factories.performance(db.prisma, { showId: show.id, startsAt: new Date(Date.now() + 96 * HOUR) });
    const past = await factories.performance(db.prisma, { showId: show.id, startsAt: new Date(Date.now() - 48 * HOUR) });
    const api = testCaller(db.prisma, { config });
    const book = (performanceId: string, email = "giulia@example.org") =>
      createReservation(db.prisma, config, { performanceId, name: "Giulia Rossi", email, partySize: 2, locale: "it" });
    const confirmed = await book(soon.id);
    const oldTicket = (await api.booking.confirm({ token: confirmed.confirmationToken })).ticketUrl.split("/").pop()!;
    await book(later.id); // pending
    const cancelled = await book(later.id);
    await db.prisma.reservation.update({ where: { id: cancelled.reservationId }, data: { status: "cancelled" } });
    await factories.reservation(db.prisma, { performanceId: past.id, status: "confirmed", email: "giulia@example.org" });
    await book(soon.id, "someone.else@example.org");
    await flushImmediateDeliveries();
    const before = smtp.messages.length;

    const answer = await api.tickets.lost({ email: " Giulia@Example.org ", locale: "en" });
    expect(answer).toEqual({ status: "sent" });
    await flushImmediateDeliveries();
    const mail = await smtp.waitForMessage((m) => m.subject === "Your tickets" && smtp.messages.indexOf(m) >= before);
    const text = mail.text ?? "";
    expect(links(text, "tickets")).toHaveLength(1);
    expect(links(text, "confirm")).toHaveLength(1);
    expect(text).toContain("The Maids");
    expect(text).not.toContain("someone.else");
    expect(mail.html).toContain(`${ORIGIN}/tickets/${links(text, "tickets")[0]}`);

    // The new links work, and the ticket the visitor may still have keeps working.
    const { bookingCode } = await db.prisma.reservation.findUniqueOrThrow({ where: { id: confirmed.reservationId } });
    expect(text).toContain(bookingCode);
    const fresh = await api.tickets.get({ token: links(text, "tickets")[0]! });
    expect(fresh.bookingCode).toBe(bookingCode);
    expect((await api.tickets.get({ token: oldTicket })).bookingCode).toBe(bookingCode);
    expect((await api.booking.describe({ token: links(text, "confirm")[0]! })).canConfirm).toBe(true);
  });

  it("answers the same for an address without bookings, and sends nothing", async () => {
    const api = testCaller(db.prisma, { config });
    expect(await api.tickets.lost({ email: "nobody@example.org" })).toEqual({ status: "sent" });
    expect(await db.prisma.emailOutbox.count({ where: { toAddress: "nobody@example.org" } })).toBe(0);
    await expect(api.tickets.lost({ email: "not-an-email" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.tickets.lost({ email: "x@example.org", extra: 1 } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("is rate limited per email address, whoever asks", async () => {
    const limited = testConfig({ ORIGIN, SMTP_URL: smtp.url });
    const ask = (address: string) => testCaller(db.prisma, { config: limited, clientAddress: address }).tickets.lost({ email: "target@example.org" });
    for (let i = 0; i < 3; i++) await ask(`198.51.100.${i}`);
    await expect(ask("198.51.100.99")).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});
