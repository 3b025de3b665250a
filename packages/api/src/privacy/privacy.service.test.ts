import { createHash } from "node:crypto";
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "../testing/index.ts";
import { anonymisedEmail } from "../retention/retention.service.ts";
import { erasePersonalData, exportPersonalData, personalDataAsText, personFingerprint } from "./privacy.service.ts";

const DAY = 86_400_000;
const now = new Date("2030-06-01T10:00:00Z");
const sha32 = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 32);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("erasePersonalData", () => {
  it("anonymises one email's reservations and waiting-list entries everywhere, keeps the counts, deletes its emails and counters, audited", async () => {
    const config = testConfig();
    const person = "ada.lovelace@example.org";
    const past = await factories.performance(db.prisma, { startsAt: new Date(now.getTime() - 10 * DAY) });
    const upcoming = await factories.performance(db.prisma, { startsAt: new Date(now.getTime() + 10 * DAY), roomCapacity: 4 });
    const { user: staff } = await factories.user(db.prisma);

    // The person booked twice (typed once in capitals), and waits for a third performance.
    const attended = await factories.reservation(db.prisma, {
      performanceId: past.id,
      status: "confirmed",
      partySize: 3,
      name: "Ada Lovelace",
      email: "Ada.Lovelace@Example.org",
      phone: "+39 333 0000000",
      notes: "Sedia a rotelle",
      confirmedAt: new Date(now.getTime() - 20 * DAY),
    });
    await db.prisma.checkIn.create({ data: { reservationId: attended.id, checkedInById: staff.id, checkedInAt: past.startsAt } });
    const coming = await factories.reservation(db.prisma, {
      performanceId: upcoming.id,
      status: "confirmed",
      partySize: 2,
      name: "Ada Lovelace",
      email: person,
      confirmedAt: now,
    });
    const soldOut = await factories.performance(db.prisma, { startsAt: new Date(now.getTime() + 12 * DAY), roomCapacity: 2 });
    await factories.reservation(db.prisma, { performanceId: soldOut.id, status: "confirmed", partySize: 2, confirmedAt: now });
    const entry = await db.prisma.waitlistEntry.create({
      data: {
        performanceId: soldOut.id,
        status: "waiting",
        name: "Ada Lovelace",
        email: person,
        phone: "+39 333 0000000",
        partySize: 2,
        queueRank: 1,
        confirmedAt: now,
      },
    });
    await db.prisma.waitlistToken.create({ data: { entryId: entry.id, purpose: "manage", tokenHash: sha32("t1") + sha32("t2"), expiresAt: soldOut.startsAt } });
    for (const r of [attended, coming]) {
      await db.prisma.emailOutbox.create({
        data: { kind: "ticket", reservationId: r.id, toAddress: person, subject: "Il tuo biglietto", payload: { text: "Ciao Ada" } },
      });
      await db.prisma.auditLog.create({
        data: { action: "edit", entity: "Reservation", entityId: r.id, changes: { phone: { from: null, to: "+39 333 0000000" } } },
      });
    }
    await db.prisma.emailOutbox.create({
      data: { kind: "waitlist_verify", toAddress: person, subject: "Lista d'attesa", payload: { text: "Ciao Ada" }, status: "sent" },
    });
    const expiresAt = new Date(now.getTime() + DAY);
    await db.prisma.rateLimitBucket.createMany({
      data: [
        { key: `booking:email:${sha32(person)}`, windowStart: now, count: 2, expiresAt },
        { key: `login:acct-addr:${sha32(person)}:203.0.113.9`, windowStart: now, count: 1, expiresAt },
        { key: `booking:email:${person}`, windowStart: now, count: 1, expiresAt }, // written before emails were hashed
        { key: `booking:email:${sha32("someone.else@example.org")}`, windowStart: now, count: 1, expiresAt },
      ],
    });
    // Someone else, at the same performances: untouched.
    const other = await factories.reservation(db.prisma, {
      performanceId: upcoming.id,
      status: "confirmed",
      partySize: 1,
      confirmedAt: now,
      phone: "+39 06 1",
    });
    await db.prisma.emailOutbox.create({ data: { kind: "ticket", reservationId: other.id, toAddress: other.email!, subject: "x", payload: {} } });
    const seats = (performanceId: string) =>
      db.prisma.reservation.aggregate({ where: { performanceId, status: "confirmed" }, _sum: { partySize: true } }).then((a) => a._sum.partySize);
    const seatsBefore = [await seats(past.id), await seats(upcoming.id)];

    const report = await erasePersonalData(db.prisma, config, { email: " ADA.Lovelace@example.org " }, { userId: staff.id, label: "admin@example.org" }, now);
    expect(report).toEqual({
      reservations: 2,
      waitlistEntries: 1,
      waitlistEntriesEnded: 1,
      emailsDeleted: 3,
      auditEntriesCleared: 2,
      rateLimitRowsDeleted: 3,
    });

    for (const r of [attended, coming]) {
      const row = await db.prisma.reservation.findUniqueOrThrow({ where: { id: r.id } });
      expect(row).toMatchObject({ name: "anonymised", email: anonymisedEmail(r.id), phone: null, notes: null, status: "confirmed", partySize: r.partySize });
      expect(row.anonymizedAt?.toISOString()).toBe(now.toISOString());
    }
    // The counts stay: seats taken, the check-in.
    expect([await seats(past.id), await seats(upcoming.id)]).toEqual(seatsBefore);
    expect(await db.prisma.checkIn.count({ where: { reservationId: attended.id } })).toBe(1);
    // The waiting-list entry was ended first (no offer can go to a dead address), then anonymised.
    const ended = await db.prisma.waitlistEntry.findUniqueOrThrow({ where: { id: entry.id } });
    expect(ended).toMatchObject({ status: "left", endedReason: "removed_by_admin", name: "anonymised", phone: null, partySize: 2 });
    expect(ended.email).not.toContain("lovelace");
    expect(await db.prisma.waitlistToken.count({ where: { entryId: entry.id } })).toBe(0);
    // Nothing addressed to the person is left in the outbox; the counters keyed on them are gone.
    expect(await db.prisma.emailOutbox.count({ where: { toAddress: { equals: person, mode: "insensitive" } } })).toBe(0);
    expect((await db.prisma.rateLimitBucket.findMany()).map((b) => b.key)).toEqual([`booking:email:${sha32("someone.else@example.org")}`]);
    // Nobody else was touched.
    expect(await db.prisma.reservation.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({
      email: other.email,
      phone: "+39 06 1",
      anonymizedAt: null,
    });
    expect(await db.prisma.emailOutbox.count({ where: { reservationId: other.id } })).toBe(1);

    // Audited with the counts and a fingerprint, never the address.
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: "privacy.erase" } });
    expect(audit).toMatchObject({ userId: staff.id, entity: "Person", entityId: personFingerprint(person), changes: report });
    const everything = JSON.stringify(await db.prisma.auditLog.findMany());
    expect(everything.toLowerCase()).not.toContain("lovelace");
    expect(everything).not.toContain("333 0000000");

    // Idempotent: a second request finds nothing left.
    const again = await erasePersonalData(db.prisma, config, { email: person }, { label: "admin@example.org" }, now);
    expect(again).toEqual({ reservations: 0, waitlistEntries: 0, waitlistEntriesEnded: 0, emailsDeleted: 0, auditEntriesCleared: 0, rateLimitRowsDeleted: 0 });
  });

  it("refuses a malformed email before touching anything", async () => {
    await expect(erasePersonalData(db.prisma, testConfig(), { email: "not an email" }, {}, now)).rejects.toThrow();
    await expect(erasePersonalData(db.prisma, testConfig(), { email: "a@example.org", extra: 1 }, {}, now)).rejects.toThrow();
  });
});

describe("exportPersonalData", () => {
  it("gathers one email's reservations, links, waiting-list entries and emails, without tokens or bodies; audited", async () => {
    const person = "bruno.accesso@example.org";
    const show = await factories.show(db.prisma, { title: "Aspettando Godot" });
    const perf = await factories.performance(db.prisma, { showId: show.id, startsAt: new Date(now.getTime() + 5 * DAY) });
    const r = await factories.reservation(db.prisma, {
      performanceId: perf.id,
      email: "Bruno.Accesso@example.org",
      name: "Bruno Accesso",
      phone: "+39 06 2",
      notes: "Arrivo tardi",
      status: "confirmed",
      confirmedAt: now,
    });
    const tokenHash = sha32("ticket") + sha32("hash");
    await db.prisma.reservationToken.create({ data: { reservationId: r.id, purpose: "check_in", tokenHash, expiresAt: perf.startsAt } });
    await db.prisma.waitlistEntry.create({ data: { performanceId: perf.id, status: "left", name: "Bruno Accesso", email: person, partySize: 1 } });
    await db.prisma.emailOutbox.create({
      data: { kind: "ticket", reservationId: r.id, toAddress: person, subject: "Il tuo biglietto", payload: { text: "https://site.test/tickets/RAWTOKENxyz" } },
    });
    await factories.reservation(db.prisma, { performanceId: perf.id, status: "confirmed", confirmedAt: now }); // someone else

    const data = await exportPersonalData(db.prisma, { email: person }, { label: "admin@example.org" }, now);
    expect(data.reservations).toHaveLength(1);
    expect(data.reservations[0]).toMatchObject({
      show: "Aspettando Godot",
      name: "Bruno Accesso",
      phone: "+39 06 2",
      notes: "Arrivo tardi",
      status: "confirmed",
    });
    expect(data.reservations[0]!.links).toEqual([{ purpose: "check_in", createdAt: expect.any(String), expiresAt: perf.startsAt.toISOString(), usedAt: null }]);
    expect(data.waitlistEntries).toHaveLength(1);
    expect(data.emails).toEqual([{ kind: "ticket", subject: "Il tuo biglietto", status: "pending", createdAt: expect.any(String), sentAt: null }]);
    const json = JSON.stringify(data);
    expect(json).not.toContain(tokenHash);
    expect(json).not.toContain("RAWTOKEN");
    const text = personalDataAsText(data);
    expect(text).toContain("Reservation 1: Aspettando Godot");
    expect(text).toContain("notes: Arrivo tardi");
    expect(text).not.toContain(tokenHash);

    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: "privacy.export" } });
    expect(audit).toMatchObject({ entity: "Person", entityId: personFingerprint(person), changes: { reservations: 1, waitlistEntries: 1, emails: 1 } });
  });
});
