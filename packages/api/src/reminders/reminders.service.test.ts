import { openDatabase, type Database } from "@sipario/db";
import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverPendingEmails } from "../mail/outbox.service.ts";
import { createMailTransport } from "../mail/transport.ts";
import { startTestSmtp, linkFrom } from "../testing/smtp.ts";
import { testCaller, testConfig } from "../testing/index.ts";
import { generateToken, hashToken } from "../lib/tokens.ts";
import { claimEvenIfReminded } from "../testing/unsafe-reminders.ts";
import { type ReminderClaimer, reminderOpensAt, sendDueReminders } from "./reminders.service.ts";

const HOUR = 3_600_000;
const ORIGIN = "https://tickets.example.test";
const config = testConfig({ ORIGIN, TIME_ZONE: "Europe/Rome" });

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function performanceAt(startsAt: Date) {
  return factories.performance(db.prisma, { startsAt });
}

async function confirmed(performanceId: string, data: Record<string, unknown> = {}) {
  return factories.reservation(db.prisma, { performanceId, status: "confirmed", confirmedAt: new Date("2026-01-01T10:00:00Z"), ...data });
}

async function reminderCount(reservationId: string): Promise<number> {
  return db.prisma.emailOutbox.count({ where: { reservationId, kind: "reminder" } });
}

describe("reminderOpensAt", () => {
  it("is 10:00 in the venue's zone on the day before the performance", () => {
    // 20:30 in Rome (UTC+1 in early March) -> 10:00 Rome the day before = 09:00 UTC.
    expect(reminderOpensAt(new Date("2030-03-11T19:30:00Z"), "Europe/Rome").toISOString()).toBe("2030-03-10T09:00:00.000Z");
    // Across the spring DST change (31 March 2030): the day before is still UTC+1.
    expect(reminderOpensAt(new Date("2030-03-31T18:30:00Z"), "Europe/Rome").toISOString()).toBe("2030-03-30T09:00:00.000Z");
    // A show just after local midnight belongs to its local day, not the UTC one.
    expect(reminderOpensAt(new Date("2030-07-09T22:30:00Z"), "Europe/Rome").toISOString()).toBe("2030-07-09T08:00:00.000Z");
  });
});

describe("sendDueReminders", () => {
  it("queues one reminder per confirmed reservation of tomorrow's performance, with a working ticket link", async () => {
    const now = new Date("2030-03-10T12:00:00Z"); // 13:00 in Rome
    const tomorrow = await performanceAt(new Date("2030-03-11T19:30:00Z"));
    const later = await performanceAt(new Date("2030-03-12T09:00:00Z")); // inside the 48 h horizon, window not open yet
    const past = await performanceAt(new Date("2030-03-10T07:00:00Z")); // already started

    const due = await confirmed(tomorrow.id, { locale: "en", partySize: 3 });
    const oldToken = generateToken();
    await db.prisma.reservationToken.create({
      data: { reservationId: due.id, purpose: "check_in", tokenHash: hashToken(oldToken), expiresAt: new Date("2030-03-12T00:00:00Z") },
    });
    const pending = await factories.reservation(db.prisma, { performanceId: tomorrow.id, status: "pending" });
    const cancelled = await confirmed(tomorrow.id, { status: "cancelled" });
    const already = await confirmed(tomorrow.id, { reminderSentAt: new Date("2030-03-10T09:05:00Z") });
    const justConfirmed = await confirmed(tomorrow.id, { confirmedAt: new Date("2030-03-10T11:30:00Z") });
    const notYet = await confirmed(later.id);
    const started = await confirmed(past.id);

    const before = await sendDueReminders(db.prisma, config, new Date("2030-03-10T08:59:00Z"));
    expect(before.queued).toBe(0);

    const report = await sendDueReminders(db.prisma, config, now);
    expect(report).toMatchObject({ queued: 1, failed: 0 });
    expect(await reminderCount(due.id)).toBe(1);
    for (const r of [pending, cancelled, already, justConfirmed, notYet, started]) expect(await reminderCount(r.id)).toBe(0);
    const row = await db.prisma.reservation.findUniqueOrThrow({ where: { id: due.id } });
    expect(row.reminderSentAt?.toISOString()).toBe(now.toISOString());

    // A second run (or a second process later) finds nothing left to do.
    expect((await sendDueReminders(db.prisma, config, new Date(now.getTime() + HOUR))).queued).toBe(0);
    expect(await reminderCount(due.id)).toBe(1);

    // Delivered over real SMTP: English, with a fresh ticket link that works; the old one still does.
    const smtp = await startTestSmtp();
    try {
      const transport = createMailTransport({ SMTP_URL: smtp.url, MAIL_FROM: config.MAIL_FROM })!;
      const delivered = await deliverPendingEmails(db.prisma, transport, { from: config.MAIL_FROM });
      expect(delivered.sent).toBeGreaterThanOrEqual(1);
      const [mail] = await smtp.waitFor(1);
      expect(mail!.subject).toMatch(/^Tomorrow: /);
      expect(mail!.text).toContain("Seats: 3");
      const { token } = linkFrom(mail!, `${ORIGIN}/tickets/`);
      expect(token).not.toBe(oldToken);
      const tokens = await db.prisma.reservationToken.findMany({ where: { reservationId: due.id, purpose: "check_in" } });
      expect(tokens.map((t) => t.tokenHash).sort()).toEqual([hashToken(oldToken), hashToken(token)].sort());
      const caller = testCaller(db.prisma, { config });
      for (const t of [token, oldToken]) {
        const ticket = await caller.tickets.get({ token: t });
        expect(ticket).toMatchObject({ bookingCode: due.bookingCode, status: "confirmed", partySize: 3 });
      }
      transport.close();
    } finally {
      await smtp.close();
    }
  });

  it("skips anonymised reservations", async () => {
    const perf = await performanceAt(new Date("2030-04-11T18:30:00Z"));
    const gone = await confirmed(perf.id, { anonymizedAt: new Date("2030-01-01T00:00:00Z") });
    await sendDueReminders(db.prisma, config, new Date("2030-04-10T12:00:00Z"));
    expect(await reminderCount(gone.id)).toBe(0);
  });
});

describe("sendDueReminders in several processes at once", () => {
  const N = 20;
  let a: Database;
  let b: Database;

  beforeAll(async () => {
    if (!(await requireRealPostgres())) return;
    a = await openDatabase({ url: db.url!, poolSize: 4 });
    b = await openDatabase({ url: db.url!, poolSize: 4 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  async function race(startsAt: Date, now: Date, claim?: ReminderClaimer) {
    const perf = await performanceAt(startsAt);
    const ids: string[] = [];
    for (let i = 0; i < N; i++) ids.push((await confirmed(perf.id)).id);
    const [ra, rb] = await Promise.all([sendDueReminders(a.prisma, config, now, { claim }), sendDueReminders(b.prisma, config, now, { claim })]);
    const counts = await db.prisma.emailOutbox.groupBy({ by: ["reservationId"], where: { reservationId: { in: ids }, kind: "reminder" }, _count: true });
    return { queued: ra.queued + rb.queued, rows: counts.reduce((sum, c) => sum + c._count, 0), reminded: counts.length };
  }

  it("sends each reminder exactly once", async (ctx) => {
    if (!(await requireRealPostgres())) ctx.skip();
    const result = await race(new Date("2030-05-11T18:30:00Z"), new Date("2030-05-10T12:00:00Z"));
    expect(result).toEqual({ queued: N, rows: N, reminded: N });
  });

  it("control: without the claim guard the same race sends duplicates", async (ctx) => {
    if (!(await requireRealPostgres())) ctx.skip();
    const result = await race(new Date("2030-06-11T18:30:00Z"), new Date("2030-06-10T12:00:00Z"), claimEvenIfReminded);
    expect(result.reminded).toBe(N);
    expect(result.rows).toBeGreaterThan(N);
  });
});
