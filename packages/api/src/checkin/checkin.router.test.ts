import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCaller, testConfig } from "../testing/index.ts";
import type { SessionUser } from "../lib/request.ts";
import { generateToken, hashToken } from "../lib/tokens.ts";
import { expectReason, inHours, staffWithSession, ticket } from "./checkin.fixtures.ts";
import { REPEAT_WINDOW_MS } from "./checkin.service.ts";

let db: TestDatabase;
let staff: SessionUser;
let other: SessionUser;
const config = testConfig();

beforeAll(async () => {
  db = await createTestDatabase();
  staff = (await staffWithSession(db.prisma, "staff", "Anna Door")).user;
  other = (await staffWithSession(db.prisma, "admin", "Marco Admin")).user;
});
afterAll(async () => {
  await db?.drop();
});

const as = (user: SessionUser) => testCaller(db.prisma, { user, config });

describe("checkin.preview", () => {
  it("shows what a door needs: the party's name and notes, never its email or phone", async () => {
    const { token, reservation, performanceId } = await ticket(db.prisma, { partySize: 3 });
    await db.prisma.reservation.update({ where: { id: reservation.id }, data: { phone: "+39 333 1234567", notes: "Sedia a rotelle" } });
    const preview = await as(staff).checkin.preview({ token });
    const perf = await db.prisma.performance.findUniqueOrThrow({ where: { id: performanceId }, include: { show: true, venue: true } });
    expect(preview).toEqual({
      status: "valid",
      reservationId: reservation.id,
      performanceId,
      showTitle: perf.show.title,
      venueName: perf.venue.name,
      startsAt: perf.startsAt.toISOString(),
      partySize: 3,
      name: reservation.name,
      notes: "Sedia a rotelle",
    });
    expect(JSON.stringify(preview)).not.toContain(reservation.email);
    expect(JSON.stringify(preview)).not.toContain("1234567");
    // Preview never writes.
    expect(await db.prisma.checkIn.count({ where: { reservationId: reservation.id } })).toBe(0);
  });

  it("unknown token, and a confirmation token used as a ticket, are unknown_token", async () => {
    await expectReason(as(staff).checkin.preview({ token: generateToken() }), "NOT_FOUND", "unknown_token");
    const { reservation } = await ticket(db.prisma);
    const confirmation = generateToken();
    await db.prisma.reservationToken.create({
      data: { reservationId: reservation.id, purpose: "confirmation", tokenHash: hashToken(confirmation), expiresAt: inHours(24) },
    });
    await expectReason(as(staff).checkin.preview({ token: confirmation }), "NOT_FOUND", "unknown_token");
  });

  it("pending, cancelled and expired reservations are reservation_not_confirmed", async () => {
    for (const status of ["pending", "cancelled", "expired"] as const) {
      const { token } = await ticket(db.prisma, { status });
      const data = await expectReason(as(staff).checkin.preview({ token }), "CONFLICT", "reservation_not_confirmed");
      expect(data.status).toBe(status);
      await expectReason(as(staff).checkin.confirm({ token }), "CONFLICT", "reservation_not_confirmed");
    }
  });

  it("an expired token is token_expired", async () => {
    const { token, reservation } = await ticket(db.prisma, { expiresAt: new Date(Date.now() - 1000) });
    await expectReason(as(staff).checkin.preview({ token }), "PRECONDITION_FAILED", "token_expired");
    await expectReason(as(staff).checkin.confirm({ token }), "PRECONDITION_FAILED", "token_expired");
    expect(await db.prisma.checkIn.count({ where: { reservationId: reservation.id } })).toBe(0);
  });

  it("a ticket for another day is wrong_day with the performance date", async () => {
    const future = await ticket(db.prisma, { startsAt: inHours(48) });
    const data = await expectReason(as(staff).checkin.preview({ token: future.token }), "PRECONDITION_FAILED", "wrong_day");
    expect(data.performanceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(data.startsAt).toBe((await db.prisma.performance.findUniqueOrThrow({ where: { id: future.performanceId } })).startsAt.toISOString());
    await expectReason(as(staff).checkin.confirm({ token: future.token }), "PRECONDITION_FAILED", "wrong_day");
    // Two days ago, with a token someone forgot to expire: still refused.
    const past = await ticket(db.prisma, { startsAt: inHours(-48), expiresAt: inHours(24) });
    await expectReason(as(staff).checkin.confirm({ token: past.token }), "PRECONDITION_FAILED", "wrong_day");
    expect(await db.prisma.checkIn.count({ where: { reservationId: { in: [future.reservation.id, past.reservation.id] } } })).toBe(0);
  });

  it("rejects malformed tokens and unknown keys as invalid_input", async () => {
    await expectReason(as(staff).checkin.preview({ token: "short" }), "BAD_REQUEST", "invalid_input");
    await expectReason(as(staff).checkin.preview({ token: "x".repeat(20) + "<script>" }), "BAD_REQUEST", "invalid_input");
    await expectReason(as(staff).checkin.confirm({ token: generateToken(), extra: 1 } as unknown as { token: string }), "BAD_REQUEST", "invalid_input");
  });
});

describe("checkin.confirm", () => {
  it("records who and when, once; a repeat scan by someone else says already_checked_in", async () => {
    const { token, reservation, performanceId } = await ticket(db.prisma, { partySize: 4 });
    const done = await as(staff).checkin.confirm({ token });
    expect(done).toMatchObject({
      status: "checked_in",
      reservationId: reservation.id,
      performanceId,
      partySize: 4,
      checkedInBy: "Anna Door",
      repeated: false,
    });
    const row = await db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: reservation.id } });
    expect(row).toMatchObject({ checkedInById: staff.id, source: "qr_scan" });
    expect(done.checkedInAt).toBe(row.checkedInAt.toISOString());

    const data = await expectReason(as(other).checkin.confirm({ token }), "CONFLICT", "already_checked_in");
    expect(data).toMatchObject({ checkedInAt: row.checkedInAt.toISOString(), checkedInBy: "Anna Door" });
    await expectReason(as(other).checkin.preview({ token }), "CONFLICT", "already_checked_in");
    expect(await db.prisma.checkIn.count({ where: { reservationId: reservation.id } })).toBe(1);
  });

  it("a retry by the same staff member within the window answers the first check-in (idempotent)", async () => {
    const { token, reservation } = await ticket(db.prisma);
    const first = await as(staff).checkin.confirm({ token });
    const retry = await as(staff).checkin.confirm({ token });
    expect(retry).toEqual({ ...first, repeated: true });
    expect(await db.prisma.checkIn.count({ where: { reservationId: reservation.id } })).toBe(1);
    // After the window the same person gets the plain duplicate answer.
    await db.prisma.checkIn.update({
      where: { reservationId: reservation.id },
      data: { checkedInAt: new Date(Date.now() - REPEAT_WINDOW_MS - 5_000) },
    });
    await expectReason(as(staff).checkin.confirm({ token }), "CONFLICT", "already_checked_in");
  });
});

describe("door search, manual check-in, numbers", () => {
  it("finds confirmed reservations by name or a whole email, checks one in manually", async () => {
    const perf = await factories.performance(db.prisma, { startsAt: new Date() });
    const a = await ticket(db.prisma, { performanceId: perf.id, name: "Giulia Rossi", email: "giulia@example.org", partySize: 2 });
    const b = await ticket(db.prisma, { performanceId: perf.id, name: "Paolo Bianchi", email: "rossi.paolo@example.org", partySize: 3 });
    await ticket(db.prisma, { performanceId: perf.id, name: "Lucia Rossi", status: "pending" });
    const elsewhere = await ticket(db.prisma, { name: "Carla Rossi" });

    const byName = await as(staff).checkin.search({ performanceId: perf.id, q: "rOSSi" });
    expect(byName.items.map((i) => i.name)).toEqual(["Giulia Rossi"]);
    expect(byName.items[0]).toEqual({ reservationId: a.reservation.id, name: "Giulia Rossi", partySize: 2, checkedIn: false, checkedInAt: null });
    expect(JSON.stringify(byName)).not.toContain("@example.org");
    // An email matches only whole (search.test.ts holds the rest of finding 6).
    expect((await as(staff).checkin.search({ performanceId: perf.id, q: "rossi.paolo@example.org" })).items.map((i) => i.reservationId)).toEqual([
      b.reservation.id,
    ]);
    expect((await as(staff).checkin.search({ performanceId: perf.id, q: "giulia@" })).items).toEqual([]);
    // LIKE wildcards are literal.
    expect((await as(staff).checkin.search({ performanceId: perf.id, q: "%%%" })).items).toEqual([]);
    await expectReason(as(staff).checkin.search({ performanceId: perf.id, q: "ro" }), "BAD_REQUEST", "invalid_input");

    const manual = await as(staff).checkin.manual({ reservationId: b.reservation.id });
    expect(manual).toMatchObject({ status: "checked_in", reservationId: b.reservation.id, partySize: 3, repeated: false });
    expect((await db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: b.reservation.id } })).source).toBe("manual");
    await expectReason(as(other).checkin.manual({ reservationId: b.reservation.id }), "CONFLICT", "already_checked_in");
    // The QR of a manually checked-in party is now a duplicate too.
    await expectReason(as(other).checkin.confirm({ token: b.token }), "CONFLICT", "already_checked_in");
    const after = await as(staff).checkin.search({ performanceId: perf.id, q: "paolo" });
    expect(after.items[0]).toMatchObject({ checkedIn: true });

    const stats = await as(staff).checkin.doorStats({ performanceId: perf.id });
    expect(stats).toEqual({
      performanceId: perf.id,
      capacity: 50,
      confirmedParties: 2,
      confirmedSeats: 5,
      checkedInParties: 1,
      checkedInPeople: 3,
      toArriveParties: 1,
      toArrivePeople: 2,
    });
    expect(elsewhere.performanceId).not.toBe(perf.id);
  });

  it("manual check-in refuses unknown, unconfirmed and other-day reservations", async () => {
    await expectReason(as(staff).checkin.manual({ reservationId: "00000000-0000-4000-8000-000000000000" }), "NOT_FOUND", "not_found");
    const pending = await ticket(db.prisma, { status: "pending" });
    await expectReason(as(staff).checkin.manual({ reservationId: pending.reservation.id }), "CONFLICT", "reservation_not_confirmed");
    const tomorrow = await ticket(db.prisma, { startsAt: inHours(48) });
    await expectReason(as(staff).checkin.manual({ reservationId: tomorrow.reservation.id }), "PRECONDITION_FAILED", "wrong_day");
    await expectReason(as(staff).checkin.manual({ reservationId: "nope" }), "BAD_REQUEST", "invalid_input");
    await expectReason(as(staff).checkin.doorStats({ performanceId: "00000000-0000-4000-8000-000000000000" }), "NOT_FOUND", "not_found");
  });

  it("performancesToday lists today's performances only", async () => {
    const today = await factories.performance(db.prisma, { startsAt: new Date() });
    const later = await factories.performance(db.prisma, { startsAt: inHours(48) });
    const before = await factories.performance(db.prisma, { startsAt: inHours(-48) });
    const { items } = await as(staff).checkin.performancesToday();
    const ids = items.map((i) => i.id);
    expect(ids).toContain(today.id);
    expect(ids).not.toContain(later.id);
    expect(ids).not.toContain(before.id);
    expect(items.find((i) => i.id === today.id)).toMatchObject({ startsAt: today.startsAt.toISOString(), venue: { city: "Roma" } });
  });

  it("scans are rate limited per staff member", async () => {
    const { user } = await staffWithSession(db.prisma, "staff", "Busy Door");
    const windowMs = 60_000;
    const windowStart = new Date(Math.floor(Date.now() / windowMs) * windowMs);
    // This window and the next, so a minute boundary during the test changes nothing.
    for (const start of [windowStart.getTime(), windowStart.getTime() + windowMs]) {
      await db.prisma.rateLimitBucket.create({
        data: { key: `checkin:user:${user.id}`, windowStart: new Date(start), count: 600, expiresAt: new Date(start + windowMs) },
      });
    }
    const { token } = await ticket(db.prisma);
    await expectReason(as(user).checkin.preview({ token }), "TOO_MANY_REQUESTS", "rate_limited");
    // Another staff member is unaffected.
    await expect(as(staff).checkin.preview({ token })).resolves.toMatchObject({ status: "valid" });
  });
});
