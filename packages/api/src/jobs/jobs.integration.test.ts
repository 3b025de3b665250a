import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReservation } from "../booking/booking.service.ts";
import { enqueueEmail } from "../mail/outbox.service.ts";
import { createMailTransport } from "../mail/transport.ts";
import { testConfig } from "../testing/index.ts";
import { startTestSmtp, type TestSmtp } from "../testing/smtp.ts";
import { JOB_LOCKS, runExclusive, startBackgroundJobs } from "./jobs.service.ts";

let db: TestDatabase;
let smtp: TestSmtp;
beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await db?.drop();
});

describe("background jobs", () => {
  it("deliver the outbox and expire stale pending reservations, from two processes' worth of job runners without double work", async () => {
    const config = testConfig({ SMTP_URL: smtp.url, OUTBOX_POLL_SECONDS: "1" });
    for (let i = 0; i < 5; i++) {
      await enqueueEmail(db.prisma, { kind: "test", to: `job${i}@example.org`, subject: `job ${i}`, payload: { text: "t", html: "h" } });
    }
    const p = await factories.performance(db.prisma);
    const stale = await createReservation(
      db.prisma,
      testConfig(),
      { performanceId: p.id, name: "S", email: "s@example.org", partySize: 1 },
      new Date(Date.now() - 48 * 3_600_000),
    );
    const a = startBackgroundJobs({ prisma: db.prisma, config, transport: createMailTransport(config) });
    const b = startBackgroundJobs({ prisma: db.prisma, config, transport: createMailTransport(config) });
    try {
      await smtp.waitFor(5);
      await Promise.all([a.runOnce(), b.runOnce()]);
      const deadline = Date.now() + 5000;
      while ((await db.prisma.reservation.findUniqueOrThrow({ where: { id: stale.reservationId } })).status !== "expired") {
        if (Date.now() > deadline) throw new Error("sweep did not run");
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.messages.filter((m) => m.subject?.startsWith("job "))).toHaveLength(5);
    expect(await db.prisma.emailOutbox.count({ where: { kind: "test", status: "sent" } })).toBe(5);
  });

  it("runs the day-before reminders, the retention anonymiser and the session purge", async () => {
    const config = testConfig({ SMTP_URL: smtp.url, RETENTION_DAYS: "30" });
    // Starts in three hours: its reminder window (10:00 the day before) is open whatever the hour.
    const soon = await factories.performance(db.prisma, { startsAt: new Date(Date.now() + 3 * 3_600_000) });
    const remind = await factories.reservation(db.prisma, {
      performanceId: soon.id,
      status: "confirmed",
      confirmedAt: new Date(Date.now() - 7 * 24 * 3_600_000),
    });
    const old = await factories.performance(db.prisma, { startsAt: new Date(Date.now() - 40 * 24 * 3_600_000) });
    const past = await factories.reservation(db.prisma, { performanceId: old.id, status: "confirmed" });
    const { user } = await factories.user(db.prisma);
    await db.prisma.session.create({ data: { id: "e".repeat(64), userId: user.id, expiresAt: new Date(Date.now() - 1000) } });

    const jobs = startBackgroundJobs({ prisma: db.prisma, config, transport: createMailTransport(config) });
    try {
      await jobs.runOnce();
    } finally {
      await jobs.stop();
    }
    const reminded = await db.prisma.reservation.findUniqueOrThrow({ where: { id: remind.id } });
    const anonymised = await db.prisma.reservation.findUniqueOrThrow({ where: { id: past.id } });
    expect(reminded.reminderSentAt).not.toBeNull();
    expect(await db.prisma.emailOutbox.count({ where: { reservationId: remind.id, kind: "reminder" } })).toBe(1);
    expect(anonymised.anonymizedAt).not.toBeNull();
    expect(anonymised.email).not.toBe(past.email);
    expect(anonymised.partySize).toBe(past.partySize);
    expect(await db.prisma.session.count({ where: { id: "e".repeat(64) } })).toBe(0);
  });

  it("runExclusive lets one process in at a time", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = runExclusive(db.prisma, JOB_LOCKS.expirySweep, async () => {
      await gate;
      return "first";
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await runExclusive(db.prisma, JOB_LOCKS.expirySweep, async () => "second")).toBeNull();
    release();
    expect(await first).toBe("first");
    expect(await runExclusive(db.prisma, JOB_LOCKS.expirySweep, async () => "third")).toBe("third");
  });
});
