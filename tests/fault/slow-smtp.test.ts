import { factories, requireRealPostgres } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultSystem, type FaultSystem } from "./system.ts";

/**
 * Slow SMTP: the mail server accepts each message but answers only after 10 s. Booking
 * and confirming must not wait for it (the email goes through the outbox and is sent
 * after the commit, outside the request), and the message still arrives.
 */

const real = await requireRealPostgres();
const SMTP_DELAY_MS = 10_000;

describe.skipIf(!real)("slow SMTP server", () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem({ name: "fault-smtp", servers: 1, connections: 10, smtpDelayMs: SMTP_DELAY_MS });
    await system.clients[0]!.query("catalogue.shows"); // warm up: first request compiles and connects
  });

  afterAll(() => system?.close());

  it("books and confirms in well under the SMTP delay; the emails still go out", async () => {
    const { db, pool, mail } = system;
    const client = system.clients[0]!;
    const performance = await factories.performance(db.prisma, { roomCapacity: 100 });
    const emails = Array.from({ length: 5 }, (_, i) => `slow-smtp-${i}@fault.test`);
    const created = await Promise.all(
      emails.map((email, i) => client.mutation("booking.create", { performanceId: performance.id, name: `Visitor ${i}`, email, partySize: 2 })),
    );
    for (const r of created) expect(r.status).toBe(200);
    // Answered while the mail server is still sitting on the messages: every answer is in
    // and no message is sent yet. An order of events, not a stopwatch (a shared CI machine
    // can be slow by seconds); how fast the answers are is the bench's business.
    const pending = await pool.query(`SELECT "status", count(*)::int AS n FROM "EmailOutbox" WHERE "kind" = 'confirmation' GROUP BY 1`);
    expect(pending.rows).toEqual([{ status: "pending", n: 5 }]);

    // The catcher reads the link as soon as the data arrives, then holds its "250 OK" for 10 s.
    const tokens = await Promise.all(emails.map((e) => mail.waitFor(e, "confirm", 15_000)));
    const confirmed = await Promise.all(tokens.map((token) => client.mutation("booking.confirm", { token })));
    for (const r of confirmed) expect(r.status).toBe(200);

    // Delivery completes once the slow server answers: the outbox marks the messages sent.
    const deadline = Date.now() + SMTP_DELAY_MS + 15_000;
    for (;;) {
      const sent = await pool.query(`SELECT count(*)::int AS n FROM "EmailOutbox" WHERE "kind" = 'confirmation' AND "status" = 'sent'`);
      if (sent.rows[0].n === 5) break;
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
});
