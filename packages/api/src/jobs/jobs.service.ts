import type { PrismaClient } from "@sipario/db";
import { expireStaleReservations } from "../booking/booking.service.ts";
import type { AppConfig } from "../config.ts";
import { getLogger, loggableError } from "../logger.ts";
import { deliverPendingEmails, flushImmediateDeliveries } from "../mail/outbox.service.ts";
import type { MailTransport } from "../mail/transport.ts";
import { getMailTransport } from "../mail/transport.ts";
import { purgeExpiredSessions } from "../auth/session.service.ts";
import { purgeExpiredRateLimits } from "../rate-limit/rate-limit.service.ts";
import { sendDueReminders } from "../reminders/reminders.service.ts";
import { anonymizeOldReservations } from "../retention/retention.service.ts";
import { anonymizeOldWaitlistEntries, closeStartedWaitlists, lapseExpiredOffers } from "../waitlist/offers.ts";

/** Advisory lock keys: one per singleton job, shared by every process on the database. */
export const JOB_LOCKS = { expirySweep: 7_270_001, rateLimitPurge: 7_270_002 } as const;

/**
 * Runs `fn` only if this process wins the transaction-scoped advisory lock `key`;
 * another process running the same job makes this call return null at once.
 */
export async function runExclusive<T>(prisma: PrismaClient, key: number, fn: (tx: PrismaClient) => Promise<T>): Promise<T | null> {
  return prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${key}::bigint) AS "locked"`;
      if (!rows[0]?.locked) return null;
      return fn(tx as unknown as PrismaClient);
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}

export interface BackgroundJobs {
  stop(): Promise<void>;
  /** Runs every job once now (tests, `npm start` warm-up). */
  runOnce(): Promise<void>;
}

/**
 * The server's own periodic work (ADR-0005: an outbox, no queue service): outbox delivery
 * (SKIP LOCKED, so any number of processes may run it), reminder emails and the
 * retention anonymiser (rows claimed atomically), the pending-expiry sweep and the
 * rate-limit/session purge (each under an advisory lock, so only one process runs them
 * at a time). A failing run is logged and retried at the next tick; it never crashes the
 * server.
 */
export function startBackgroundJobs(options: { prisma: PrismaClient; config: AppConfig; transport?: MailTransport | null }): BackgroundJobs {
  const { prisma, config } = options;
  const transport = options.transport === undefined ? getMailTransport(config) : options.transport;
  const log = getLogger();
  let stopped = false;
  const running = new Set<Promise<unknown>>();

  const guard = (name: string, fn: () => Promise<unknown>) => {
    let busy = false;
    return async () => {
      if (busy || stopped) return;
      busy = true;
      const p = fn()
        .catch((error) => log.error({ job: name, error: loggableError(error) }, "background job failed"))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
      await p;
    };
  };

  const outbox = guard("outbox", async () => {
    // Drain in batches while there is due work, so a backlog clears without waiting ticks.
    for (let i = 0; i < 10 && !stopped; i++) {
      const r = await deliverPendingEmails(prisma, transport, {
        batch: 20,
        origin: config.ORIGIN,
        from: config.MAIL_FROM,
        maxAttempts: config.MAIL_MAX_ATTEMPTS,
        retryBaseSeconds: config.MAIL_RETRY_BASE_SECONDS,
      });
      if (r.sent + r.retried + r.failed < 20) break;
    }
  });
  const sweep = guard("expiry-sweep", async () => {
    const n = await runExclusive(prisma, JOB_LOCKS.expirySweep, (tx) => expireStaleReservations(tx));
    if (n) log.info({ expired: n }, "expired stale pending reservations");
  });
  const purge = guard("rate-limit-purge", () =>
    runExclusive(prisma, JOB_LOCKS.rateLimitPurge, async (tx) => {
      await purgeExpiredRateLimits(tx);
      await purgeExpiredSessions(tx);
    }),
  );
  // Both claim their rows atomically, so every process may run them: no lock needed.
  const reminders = guard("reminders", async () => {
    const r = await sendDueReminders(prisma, config);
    if (r.queued) log.info({ queued: r.queued }, "queued reminder emails");
  });
  // Offers that ran out pass their seats on; lists of started performances close. Both
  // claim rows with conditional updates (under the performance lock), so every process may run them.
  const waitlist = guard("waitlist", async () => {
    const lapsed = await lapseExpiredOffers(prisma, config);
    const closed = await closeStartedWaitlists(prisma, config);
    if (lapsed.lapsed || closed.closed) log.info({ ...lapsed, ...closed }, "waiting-list offers lapsed / lists closed");
  });
  const retention = guard("retention", async () => {
    const r = await anonymizeOldReservations(prisma, config);
    if (r.anonymized) log.info({ anonymized: r.anonymized }, "anonymised personal data past retention");
    const entries = await anonymizeOldWaitlistEntries(prisma, config);
    if (entries) log.info({ anonymized: entries }, "anonymised waiting-list entries past retention");
  });

  const timers = [
    setInterval(outbox, config.OUTBOX_POLL_SECONDS * 1000),
    setInterval(sweep, config.SWEEP_INTERVAL_SECONDS * 1000),
    setInterval(waitlist, config.SWEEP_INTERVAL_SECONDS * 1000),
    setInterval(purge, 10 * 60 * 1000),
    setInterval(reminders, 5 * 60 * 1000),
    setInterval(retention, 60 * 60 * 1000),
  ];
  for (const t of timers) t.unref();
  const runOnce = async () => {
    await Promise.all([outbox(), sweep(), purge(), reminders(), retention(), waitlist()]);
  };
  void runOnce();
  return {
    runOnce,
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running]);
      await flushImmediateDeliveries();
    },
  };
}
