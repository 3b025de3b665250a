import { openDatabase } from "@sipario/db";
import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "../testing/index.ts";
import { anonymisedEmail, anonymizeOldReservations } from "./retention.service.ts";

const DAY = 86_400_000;
const now = new Date("2030-09-01T10:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function reservationWithHistory(performanceId: string, status: "confirmed" | "cancelled" = "confirmed") {
  const r = await factories.reservation(db.prisma, {
    performanceId,
    status,
    partySize: 3,
    phone: "+39 333 1234567",
    notes: "Wheelchair space, please",
    confirmedAt: daysAgo(120),
  });
  await db.prisma.emailOutbox.create({
    data: { kind: "ticket", reservationId: r.id, toAddress: r.email!, subject: "Your ticket", payload: { text: `Hello ${r.name}` } },
  });
  await db.prisma.auditLog.create({
    data: { action: "edit", entity: "Reservation", entityId: r.id, changes: { email: { from: "old@example.org", to: r.email } } },
  });
  return r;
}

describe("anonymizeOldReservations", () => {
  it("strips personal data RETENTION_DAYS after the performance and keeps the counts", async () => {
    const config = testConfig(); // RETENTION_DAYS defaults to 90
    expect(config.RETENTION_DAYS).toBe(90);
    const old = await factories.performance(db.prisma, { startsAt: daysAgo(91) });
    const recent = await factories.performance(db.prisma, { startsAt: daysAgo(89) });
    const upcoming = await factories.performance(db.prisma, { startsAt: new Date(now.getTime() + 7 * DAY) });
    const oldConfirmed = await reservationWithHistory(old.id);
    const oldCancelled = await reservationWithHistory(old.id, "cancelled");
    const { user: staff } = await factories.user(db.prisma);
    await db.prisma.checkIn.create({ data: { reservationId: oldConfirmed.id, checkedInById: staff.id, checkedInAt: daysAgo(91) } });
    const keptRecent = await reservationWithHistory(recent.id);
    const keptUpcoming = await reservationWithHistory(upcoming.id);
    const seatsBefore = await db.prisma.reservation.aggregate({ where: { performanceId: old.id, status: "confirmed" }, _sum: { partySize: true } });

    const report = await anonymizeOldReservations(db.prisma, config, now);
    expect(report).toEqual({ anonymized: 2, emailsDeleted: 2, auditEntriesCleared: 2 });

    for (const r of [oldConfirmed, oldCancelled]) {
      const row = await db.prisma.reservation.findUniqueOrThrow({ where: { id: r.id } });
      expect(row).toMatchObject({
        name: "anonymised",
        email: anonymisedEmail(r.id),
        phone: null,
        notes: null,
        partySize: 3,
        status: r.status,
        performanceId: old.id,
      });
      expect(row.anonymizedAt?.toISOString()).toBe(now.toISOString());
      expect(row.confirmedAt?.toISOString()).toBe(r.confirmedAt?.toISOString());
      expect(await db.prisma.emailOutbox.count({ where: { reservationId: r.id } })).toBe(0);
      const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { entityId: r.id } });
      expect(audit.changes).toBeNull();
      expect(audit.action).toBe("edit");
      // Nothing personal is left anywhere in the row.
      expect(JSON.stringify(row)).not.toContain(r.email);
      expect(JSON.stringify(row)).not.toContain(r.name);
    }
    // Statistics survive: seats, statuses and the check-in.
    const seatsAfter = await db.prisma.reservation.aggregate({ where: { performanceId: old.id, status: "confirmed" }, _sum: { partySize: true } });
    expect(seatsAfter._sum.partySize).toBe(seatsBefore._sum.partySize);
    expect(await db.prisma.checkIn.count({ where: { reservationId: oldConfirmed.id } })).toBe(1);

    for (const r of [keptRecent, keptUpcoming]) {
      const row = await db.prisma.reservation.findUniqueOrThrow({ where: { id: r.id } });
      expect(row).toMatchObject({ name: r.name, email: r.email, phone: r.phone, notes: r.notes, anonymizedAt: null });
      expect(await db.prisma.emailOutbox.count({ where: { reservationId: r.id } })).toBe(1);
      expect((await db.prisma.auditLog.findFirstOrThrow({ where: { entityId: r.id } })).changes).not.toBeNull();
    }

    // Idempotent: a second run finds nothing; a shorter retention reaches the recent one.
    expect((await anonymizeOldReservations(db.prisma, config, now)).anonymized).toBe(0);
    const shorter = await anonymizeOldReservations(db.prisma, testConfig({ RETENTION_DAYS: "30" }), now);
    expect(shorter.anonymized).toBe(1);
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: keptRecent.id } })).email).toBe(anonymisedEmail(keptRecent.id));
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: keptUpcoming.id } })).anonymizedAt).toBeNull();
  });

  it("anonymises each reservation once when two processes run it together", async (ctx) => {
    if (!(await requireRealPostgres())) ctx.skip();
    const perf = await factories.performance(db.prisma, { startsAt: new Date("2030-01-10T19:00:00Z") });
    const n = 40;
    for (let i = 0; i < n; i++) await factories.reservation(db.prisma, { performanceId: perf.id, status: "confirmed" });
    const a = await openDatabase({ url: db.url!, poolSize: 2 });
    const b = await openDatabase({ url: db.url!, poolSize: 2 });
    try {
      const later = new Date("2031-01-01T00:00:00Z");
      const cutoff = new Date(later.getTime() - 90 * DAY);
      const due = await db.prisma.reservation.count({ where: { anonymizedAt: null, performance: { startsAt: { lt: cutoff } } } });
      expect(due).toBeGreaterThanOrEqual(n);
      const [ra, rb] = await Promise.all([anonymizeOldReservations(a.prisma, testConfig(), later), anonymizeOldReservations(b.prisma, testConfig(), later)]);
      expect(ra.anonymized + rb.anonymized).toBe(due);
      expect(await db.prisma.reservation.count({ where: { performanceId: perf.id, anonymizedAt: null } })).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
