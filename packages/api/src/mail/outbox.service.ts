import { Prisma, type PrismaClient } from "@sipario/db";
import type { SendMailOptions } from "nodemailer";
import type { AppConfig } from "../config.ts";
import type { Tx } from "../lib/transaction.ts";
import { getLogger, loggableError } from "../logger.ts";
import { qrPng } from "../lib/ticket-assets.ts";
import { applyLayout, LAYOUT_MARKER, mailBrand } from "./layout.ts";
import type { RenderedEmail } from "./templates.ts";
import type { MailTransport } from "./transport.ts";
import { getMailTransport } from "./transport.ts";

/**
 * Transactional outbox. An email is a row written in the same transaction as the state
 * change that causes it, so a committed booking always has its message and a rolled-back
 * one never does. Workers claim due rows with FOR UPDATE SKIP LOCKED and a lease, send
 * outside any transaction, then mark them sent (clearing the token-bearing body) or
 * schedule a retry with exponential backoff; after MAIL_MAX_ATTEMPTS they are failed.
 */

/**
 * An attachment as stored: its bytes (base64), or a QR code of a URL drawn when the
 * message is sent. Drawing the PNG costs a few ms of CPU; stored as a URL it stays off
 * the request that queues the message (a confirmation during an on-sale rush) and out of
 * the row written while the performance is locked.
 */
export type OutboxAttachment = { filename: string; contentType: string; cid?: string } & ({ content: string } | { qrCodeOf: string });

export interface OutboxPayload {
  text: string;
  html: string;
  attachments?: OutboxAttachment[];
  /** For a message not tied to a reservation: the layout's language and greeting (mail/layout.ts). */
  locale?: string;
  name?: string;
}

export interface EnqueueEmail {
  kind: "confirmation" | "ticket" | (string & {});
  reservationId?: string | null;
  to: string;
  subject: string;
  payload: OutboxPayload;
}

/**
 * The same outbox row as enqueueEmail, as a fragment of a single-statement write: one row
 * per reservation id that `reservations` (a CTE of the caller's statement, with an "id"
 * column) returns, so the message exists exactly when the write it belongs to happened.
 */
export function insertOutboxSql(email: EnqueueEmail, reservations: Prisma.Sql, now: Date): Prisma.Sql {
  return Prisma.sql`INSERT INTO "EmailOutbox" ("id", "kind", "reservationId", "toAddress", "subject", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), ${email.kind}, "id", ${email.to}, ${email.subject.slice(0, 300)}, ${JSON.stringify(email.payload)}::jsonb, 'pending', 0, ${now}, ${now}, ${now}
    FROM ${reservations}
    RETURNING "id"`;
}

/** A rendered email as an outbox message to `to`; `extra` adds attachments or the layout's language and greeting. */
export function outboxMessage(
  kind: EnqueueEmail["kind"],
  to: string,
  rendered: RenderedEmail,
  reservationId: string | null,
  extra: Omit<OutboxPayload, "text" | "html"> = {},
): EnqueueEmail {
  return { kind, reservationId, to, subject: rendered.subject, payload: { text: rendered.text, html: rendered.html, ...extra } };
}

/** Writes one message into the outbox inside the caller's transaction; returns its id. */
export async function enqueueEmail(tx: Tx | PrismaClient, email: EnqueueEmail): Promise<string> {
  const row = await tx.emailOutbox.create({
    data: {
      kind: email.kind,
      reservationId: email.reservationId ?? null,
      toAddress: email.to,
      subject: email.subject.slice(0, 300),
      payload: email.payload as unknown as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
  return row.id;
}

/** Lease while a message is being sent: longer than the transport's worst-case timeouts. */
const LEASE_SECONDS = 120;
const MAX_BACKOFF_SECONDS = 6 * 3600;

type ClaimedRow = { id: string; kind: string; reservationId: string | null; toAddress: string; subject: string; payload: OutboxPayload; attempts: number };

export interface DeliveryOptions {
  batch?: number;
  now?: Date;
  maxAttempts?: number;
  retryBaseSeconds?: number;
  /** From: header; the transport's default otherwise. */
  from?: string;
  /** Deliver only this message (the immediate attempt after a commit). */
  id?: string;
  /** ORIGIN: the layout's logo and privacy links start with it. */
  origin?: string;
}

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
}

async function claim(prisma: PrismaClient, options: DeliveryOptions, now: Date): Promise<ClaimedRow[]> {
  const leaseUntil = new Date(now.getTime() + LEASE_SECONDS * 1000);
  const batch = Math.max(1, Math.min(options.batch ?? 20, 500));
  // attempts counts started sends; the lease hides the row from other workers meanwhile.
  if (options.id) {
    return prisma.$queryRaw<ClaimedRow[]>`
      UPDATE "EmailOutbox" o SET "attempts" = o."attempts" + 1, "nextAttemptAt" = ${leaseUntil}, "updatedAt" = ${now}
      WHERE o."id" IN (
        SELECT "id" FROM "EmailOutbox"
        WHERE "id" = ${options.id}::uuid AND "status" = 'pending' AND "nextAttemptAt" <= ${now}
        FOR UPDATE SKIP LOCKED)
      RETURNING o."id"::text AS "id", o."kind", o."reservationId"::text AS "reservationId", o."toAddress", o."subject", o."payload", o."attempts"`;
  }
  return prisma.$queryRaw<ClaimedRow[]>`
    UPDATE "EmailOutbox" o SET "attempts" = o."attempts" + 1, "nextAttemptAt" = ${leaseUntil}, "updatedAt" = ${now}
    WHERE o."id" IN (
      SELECT "id" FROM "EmailOutbox"
      WHERE "status" = 'pending' AND "nextAttemptAt" <= ${now}
      ORDER BY "nextAttemptAt" LIMIT ${batch}
      FOR UPDATE SKIP LOCKED)
    RETURNING o."id"::text AS "id", o."kind", o."reservationId"::text AS "reservationId", o."toAddress", o."subject", o."payload", o."attempts"`;
}

/**
 * The body in the shared layout (greeting, logo, footer) when its renderer asked for it:
 * the name and language come from the reservation, else from the payload.
 */
async function laidOut(prisma: PrismaClient, row: ClaimedRow, options: DeliveryOptions): Promise<{ html: string; text: string }> {
  const p = row.payload;
  if (!p.html.startsWith(LAYOUT_MARKER)) return { html: p.html, text: p.text };
  const reservation = row.reservationId
    ? await prisma.reservation.findUnique({ where: { id: row.reservationId }, select: { name: true, locale: true } })
    : null;
  const brand = await mailBrand(prisma, options.origin ?? "");
  return applyLayout(p, { brand, locale: reservation?.locale ?? p.locale, name: reservation?.name ?? p.name });
}

async function toMessage(row: ClaimedRow, from: string | undefined, body: { html: string; text: string }): Promise<SendMailOptions> {
  const p = row.payload;
  return {
    ...(from ? { from } : {}),
    to: row.toAddress,
    subject: row.subject,
    text: body.text,
    html: body.html,
    attachments: await Promise.all(
      (p.attachments ?? []).map(async (a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: "qrCodeOf" in a ? await qrPng(a.qrCodeOf) : Buffer.from(a.content, "base64"),
        ...(a.cid ? { cid: a.cid } : {}),
      })),
    ),
  };
}

/**
 * Delivers due messages. Safe to run in several processes at once: each row is claimed
 * by exactly one worker (SKIP LOCKED + lease), so a message is never sent twice unless a
 * send outlives the lease. Never throws for a failed send: it is recorded and retried.
 */
export async function deliverPendingEmails(prisma: PrismaClient, transport: MailTransport | null, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
  if (!transport) return report;
  const now = options.now ?? new Date();
  const maxAttempts = options.maxAttempts ?? 8;
  const base = options.retryBaseSeconds ?? 30;
  const rows = await claim(prisma, options, now);
  const log = getLogger();
  const deliverOne = async (row: (typeof rows)[number]) => {
    try {
      await transport.sendMail(await toMessage(row, options.from, await laidOut(prisma, row, options)));
      // The body holds raw tokens in links: drop it once it is out.
      await prisma.emailOutbox.update({
        where: { id: row.id },
        data: { status: "sent", sentAt: new Date(), lastError: null, payload: { cleared: true } },
      });
      report.sent++;
      log.info({ outboxId: row.id, kind: row.kind, attempts: row.attempts }, "email sent");
    } catch (error) {
      const lastError = loggableError(error);
      const failed = row.attempts >= maxAttempts;
      const delaySeconds = Math.min(MAX_BACKOFF_SECONDS, base * 2 ** (row.attempts - 1));
      await prisma.emailOutbox
        .update({
          where: { id: row.id },
          data: failed
            ? { status: "failed", lastError }
            : { lastError, nextAttemptAt: new Date(Date.now() + delaySeconds * 1000 * (0.9 + Math.random() * 0.2)) },
        })
        .catch((e) => log.error({ outboxId: row.id, error: loggableError(e) }, "could not record email failure"));
      if (failed) report.failed++;
      else report.retried++;
      log[failed ? "error" : "warn"](
        { outboxId: row.id, kind: row.kind, attempts: row.attempts, error: lastError, retryInSeconds: failed ? null : delaySeconds },
        failed ? "email delivery failed for good" : "email delivery failed, will retry",
      );
    }
  };
  // A few sends at a time: one at a time managed ~10 messages/s per process in the
  // benchmark. Each send has its own connection (a pooled transport keeps idle sockets
  // open, which holds up shutdown and every SMTP server's close).
  let next = 0;
  const lane = async () => {
    while (next < rows.length) await deliverOne(rows[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, rows.length) }, lane));
  return report;
}

const SEND_CONCURRENCY = 5;

const inFlight = new Set<Promise<unknown>>();
/** Immediate sends run a few at a time; a burst beyond the queue is left to the worker. */
const IMMEDIATE_CONCURRENCY = 4;
const IMMEDIATE_QUEUE_LIMIT = 200;
let active = 0;
const waiting: (() => void)[] = [];

/**
 * After a commit: try to send this message now so the visitor gets it at once, without
 * making the request wait for SMTP or fail with it. The outbox worker is the safety net
 * (for failures and for bursts beyond the small queue kept here).
 */
export function deliverSoon(prisma: PrismaClient, config: AppConfig, outboxId: string): void {
  const transport = getMailTransport(config);
  if (!transport) return;
  if (active >= IMMEDIATE_CONCURRENCY && waiting.length >= IMMEDIATE_QUEUE_LIMIT) return;
  const p = (async () => {
    if (active >= IMMEDIATE_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      await deliverPendingEmails(prisma, transport, {
        id: outboxId,
        origin: config.ORIGIN,
        from: config.MAIL_FROM,
        maxAttempts: config.MAIL_MAX_ATTEMPTS,
        retryBaseSeconds: config.MAIL_RETRY_BASE_SECONDS,
      });
    } catch (error) {
      getLogger().warn({ outboxId, error: loggableError(error) }, "immediate email delivery failed");
    } finally {
      active--;
      waiting.shift()?.();
    }
  })().finally(() => inFlight.delete(p));
  inFlight.add(p);
}

/** Waits for the immediate deliveries started so far (tests, graceful shutdown). */
export async function flushImmediateDeliveries(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}
