import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppConfig } from "../config.ts";
import { testCaller, testConfig } from "../testing/index.ts";
import { signBookedCookie } from "./booked-cookie.ts";
import { createReservation } from "./booking.service.ts";

let db: TestDatabase;
let config: AppConfig;
beforeAll(async () => {
  db = await createTestDatabase();
  config = testConfig({ RATE_LIMITS: "false" });
});
afterAll(async () => {
  await db?.drop();
});

const HOUR = 3_600_000;

/** A booking made online, and the receipt its browser keeps in the sipario_booked cookie. */
async function bookOnline(email = "giulia@example.org") {
  const show = await factories.show(db.prisma, { title: "Il giardino", titleEn: "The garden" });
  const p = await factories.performance(db.prisma, { showId: show.id });
  const r = await createReservation(db.prisma, config, { performanceId: p.id, name: "Giulia Bianchi", email, partySize: 2 });
  return { ...r, show, performance: p, receipt: signBookedCookie(config.sessionSecret, r.reservationId) };
}

/** As if every confirmation link of the reservation had gone out `ms` ago. */
async function sentAgo(reservationId: string, ms: number) {
  const past = new Date(Date.now() - ms);
  await db.prisma.emailOutbox.updateMany({ where: { reservationId }, data: { createdAt: past } });
  await db.prisma.reservationToken.updateMany({ where: { reservationId }, data: { createdAt: past } });
}

describe("booking.summary", () => {
  it("shows the booking its receipt names, in the visitor's language", async () => {
    const b = await bookOnline();
    const api = testCaller(db.prisma, { config });
    const token = await db.prisma.reservationToken.findFirstOrThrow({ where: { reservationId: b.reservationId, purpose: "confirmation" } });
    expect(await api.booking.summary({ receipt: b.receipt, locale: "en" })).toEqual({
      email: "giulia@example.org",
      status: "pending",
      partySize: 2,
      startsAt: b.performance.startsAt.toISOString(),
      show: { slug: b.show.slug, title: "The garden", lang: { title: "en" } },
      venue: { city: expect.any(String), timeZone: "Europe/Rome", name: expect.any(String), lang: { name: expect.any(String) } },
      expiresAt: token.expiresAt.toISOString(),
    });
    expect((await api.booking.summary({ receipt: b.receipt })).show.title).toBe("Il giardino");
  });

  it("refuses a receipt this server did not sign, an expired one and a bare id", async () => {
    const b = await bookOnline();
    const api = testCaller(db.prisma, { config });
    const foreign = signBookedCookie("f".repeat(40), b.reservationId);
    const expired = signBookedCookie(config.sessionSecret, b.reservationId, new Date(Date.now() - 7 * HOUR));
    const unknown = signBookedCookie(config.sessionSecret, "00000000-0000-4000-8000-000000000000");
    for (const receipt of [foreign, expired, unknown]) {
      await expect(api.booking.summary({ receipt })).rejects.toMatchObject({ code: "NOT_FOUND", cause: { reason: "not_found" } });
      await expect(api.booking.resend({ receipt })).rejects.toMatchObject({ code: "NOT_FOUND", cause: { reason: "not_found" } });
    }
    await expect(api.booking.summary({ receipt: `${b.reservationId} ` })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.booking.summary({ receipt: b.receipt, reservationId: b.reservationId } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("booking.resend", () => {
  it("sends a new link at most once a minute, and the old link stops working", async () => {
    const b = await bookOnline("resend@example.org");
    const api = testCaller(db.prisma, { config });
    await expect(api.booking.resend({ receipt: b.receipt })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      cause: { reason: "rate_limited", details: { retryAfterSeconds: expect.any(Number) } },
    });
    expect(await db.prisma.emailOutbox.count({ where: { reservationId: b.reservationId } })).toBe(1);

    await sentAgo(b.reservationId, 61_000);
    expect(await api.booking.resend({ receipt: b.receipt })).toEqual({ status: "sent" });
    expect(await db.prisma.emailOutbox.count({ where: { reservationId: b.reservationId, kind: "confirmation" } })).toBe(2);
    await expect(api.booking.confirm({ token: b.confirmationToken })).rejects.toMatchObject({ code: "NOT_FOUND", cause: { reason: "unknown_token" } });
    await expect(api.booking.resend({ receipt: b.receipt })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  it("sends one email when several requests arrive at once", async () => {
    const b = await bookOnline("together@example.org");
    await sentAgo(b.reservationId, 120_000);
    const answers = await Promise.allSettled(Array.from({ length: 5 }, () => testCaller(db.prisma, { config }).booking.resend({ receipt: b.receipt })));
    expect(answers.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const a of answers.filter((a) => a.status === "rejected")) expect(a.reason).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await db.prisma.emailOutbox.count({ where: { reservationId: b.reservationId } })).toBe(2);
  });

  it("refuses a booking that is no longer waiting for its confirmation (CONFLICT)", async () => {
    const b = await bookOnline("done@example.org");
    const api = testCaller(db.prisma, { config });
    await api.booking.confirm({ token: b.confirmationToken });
    await sentAgo(b.reservationId, 120_000);
    await expect(api.booking.resend({ receipt: b.receipt })).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "reservation_not_pending" } });
    expect((await api.booking.summary({ receipt: b.receipt })).status).toBe("confirmed");
  });
});
