import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../rate-limit/rate-limit.service.ts";
import { testCaller, testConfig } from "../testing/index.ts";
import type { SessionUser } from "../lib/request.ts";
import { expectReason, staffWithSession, ticket } from "./checkin.fixtures.ts";

/**
 * Issue 13, finding 6: the door's search gave staff more visitor data than the door needs.
 * It matched the start of an email (one session rebuilt a whole address in 362 calls),
 * searched any performance, and two letters listed every name.
 */
let db: TestDatabase;
let staff: SessionUser;
const config = testConfig();

beforeAll(async () => {
  db = await createTestDatabase();
  staff = (await staffWithSession(db.prisma, "staff", "Anna Door")).user;
});
afterAll(async () => {
  await db?.drop();
});

const as = (user: SessionUser, c = config) => testCaller(db.prisma, { user, config: c });

describe("checkin.search holds visitor data to what the door needs", () => {
  it("matches a name, or a whole email exactly; never the start of an email", async () => {
    const perf = await factories.performance(db.prisma, { startsAt: new Date() });
    const giulia = await ticket(db.prisma, { performanceId: perf.id, name: "Giulia Rossi", email: "giulia.rossi@example.org", partySize: 2 });

    const byName = await as(staff).checkin.search({ performanceId: perf.id, q: "ross" });
    expect(byName.items.map((i) => i.reservationId)).toEqual([giulia.reservation.id]);

    const byEmail = await as(staff).checkin.search({ performanceId: perf.id, q: " Giulia.Rossi@Example.org " });
    expect(byEmail.items.map((i) => i.reservationId)).toEqual([giulia.reservation.id]);

    // A prefix attack learns nothing: no prefix of the address finds her.
    for (const prefix of ["giulia.", "giulia.r", "giulia.rossi@", "giulia.rossi@example.or", "@example.org"]) {
      expect((await as(staff).checkin.search({ performanceId: perf.id, q: prefix })).items, prefix).toEqual([]);
    }
  });

  it("shows the name and party size, never the email", async () => {
    const perf = await factories.performance(db.prisma, { startsAt: new Date() });
    const r = await ticket(db.prisma, { performanceId: perf.id, name: "Carla Neri", email: "carla.neri@example.org", partySize: 4 });
    const found = await as(staff).checkin.search({ performanceId: perf.id, q: "carla.neri@example.org" });
    expect(found.items).toEqual([{ reservationId: r.reservation.id, name: "Carla Neri", partySize: 4, checkedIn: false, checkedInAt: null }]);
    expect(JSON.stringify(found)).not.toContain("@");
  });

  it("needs at least three characters", async () => {
    const perf = await factories.performance(db.prisma, { startsAt: new Date() });
    await expectReason(as(staff).checkin.search({ performanceId: perf.id, q: "ro" }), "BAD_REQUEST", "invalid_input");
    await expectReason(as(staff).checkin.search({ performanceId: perf.id, q: "  ro   " }), "BAD_REQUEST", "invalid_input");
  });

  it("searches only performances on today's door: not yesterday's, not next week's", async () => {
    const past = await factories.performance(db.prisma, { startsAt: new Date(Date.now() - 3 * 86_400_000) });
    const future = await factories.performance(db.prisma, { startsAt: new Date(Date.now() + 7 * 86_400_000) });
    await ticket(db.prisma, { performanceId: past.id, name: "Dario Past" });
    await ticket(db.prisma, { performanceId: future.id, name: "Elena Future" });
    await expectReason(as(staff).checkin.search({ performanceId: past.id, q: "dario" }), "PRECONDITION_FAILED", "wrong_day");
    await expectReason(as(staff).checkin.search({ performanceId: future.id, q: "elena" }), "PRECONDITION_FAILED", "wrong_day");
    // The door's whole list follows the same rule.
    await expectReason(as(staff).checkin.doorList({ performanceId: future.id }), "PRECONDITION_FAILED", "wrong_day");
  });

  it("is rate limited per staff member, without taking the scanner away from them", async () => {
    const limited = testConfig({ RATE_LIMITS: "true" });
    const door = (await staffWithSession(db.prisma, "staff", "Busy Door")).user;
    const perf = await factories.performance(db.prisma, { startsAt: new Date() });
    const { token } = await ticket(db.prisma, { performanceId: perf.id, name: "Franca Bassi" });
    for (let i = 0; i < RATE_LIMITS.searchPerUser.limit; i++) {
      await as(door, limited).checkin.search({ performanceId: perf.id, q: `nobody${i}` });
    }
    await expectReason(as(door, limited).checkin.search({ performanceId: perf.id, q: "franca" }), "TOO_MANY_REQUESTS", "rate_limited");
    // Scanning and the door list still work for this staff member, and search for the others.
    await expect(as(door, limited).checkin.preview({ token })).resolves.toMatchObject({ status: "valid" });
    await expect(as(door, limited).checkin.doorList({ performanceId: perf.id })).resolves.toMatchObject({ items: [expect.anything()] });
    await expect(as(staff, limited).checkin.search({ performanceId: perf.id, q: "franca" })).resolves.toMatchObject({ items: [expect.anything()] });
  });
});
