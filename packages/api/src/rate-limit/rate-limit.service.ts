import { createHash } from "node:crypto";
import type { PrismaClient } from "@sipario/db";
import { DomainError } from "../errors.ts";

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Counts one request against `key` and refuses it once the limit is passed, with a
 * sliding-window counter stored in PostgreSQL, so every server process shares the same
 * counters. The estimate is this window's count plus the previous window's count weighted
 * by how much of it still overlaps the last `windowSeconds` (as Cloudflare and nginx-style
 * limiters do). A plain fixed window let a client spend its limit twice around a window
 * boundary (five guesses at 14:59, five more at 15:00). Refused requests count too, so a
 * client that keeps hammering stays refused.
 *
 * One statement per call: an atomic upsert of this window's bucket plus a read of the
 * previous one; no read-then-write race. Throws DomainError("rate_limited") with
 * `retryAfterSeconds` (when the estimate, without further requests, is back within the limit).
 */
export async function consumeRateLimit(prisma: PrismaClient, key: string, rule: RateLimitRule, now = new Date()): Promise<void> {
  const { retryAfterSeconds } = await countRequest(prisma, key, rule, now);
  if (retryAfterSeconds > 0) throw rateLimited(retryAfterSeconds);
}

function rateLimited(retryAfterSeconds: number): DomainError {
  return new DomainError("rate_limited", "Too many requests. Please wait a moment and try again.", { retryAfterSeconds });
}

/** Adds one to `key`'s bucket of this window; answers how long the caller must wait (0: within the limit). */
async function countRequest(prisma: PrismaClient, key: string, rule: RateLimitRule, now: Date): Promise<{ windowStart: Date; retryAfterSeconds: number }> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const previousStart = new Date(windowStart.getTime() - windowMs);
  // A bucket is still needed as "the previous window" during the window after its own.
  const expiresAt = new Date(windowStart.getTime() + 2 * windowMs);
  const rows = await prisma.$queryRaw<{ count: number; previous: number }[]>`
    WITH current AS (
      INSERT INTO "RateLimitBucket" ("key", "windowStart", "count", "expiresAt")
      VALUES (${key}, ${windowStart}, 1, ${expiresAt})
      ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitBucket"."count" + 1
      RETURNING "count")
    SELECT (SELECT "count" FROM current)::int AS "count",
      COALESCE((SELECT "count" FROM "RateLimitBucket" WHERE "key" = ${key} AND "windowStart" = ${previousStart}), 0)::int AS "previous"`;
  const count = Number(rows[0]?.count ?? 0);
  const previous = Number(rows[0]?.previous ?? 0);
  const elapsed = (now.getTime() - windowStart.getTime()) / windowMs; // 0 <= elapsed < 1
  const retryAfterMs = slidingWindowWait({ count, previous, elapsed, limit: rule.limit }) * windowMs;
  return { windowStart, retryAfterSeconds: retryAfterMs > 0 ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : 0 };
}

async function uncount(prisma: PrismaClient, key: string, windowStart: Date): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "RateLimitBucket" SET "count" = "count" - 1
    WHERE "key" = ${key} AND "windowStart" = ${windowStart} AND "count" > 0`;
}

/** Slots taken by holdRateLimits: give them back when the attempt turns out not to count. */
export interface HeldAttempt {
  /** The attempt succeeded (or was not a guess): it no longer counts. Idempotent. */
  release(): Promise<void>;
}

/**
 * For limits that count failures only (sign-in): takes one slot under every key before
 * the attempt, so concurrent guesses cannot all slip under the limit, and gives every
 * slot back when the attempt is refused (a refused attempt never extends a lock) or
 * when the caller releases it (a success is not a failure). A failed attempt keeps
 * its slots: that is the count. Throws DomainError("rate_limited") with the longest
 * `retryAfterSeconds` of the exhausted keys.
 */
export async function holdRateLimits(
  prisma: PrismaClient,
  enabled: boolean,
  checks: { key: string; rule: RateLimitRule }[],
  now = new Date(),
): Promise<HeldAttempt> {
  if (!enabled) return { release: async () => {} };
  const held: { key: string; windowStart: Date }[] = [];
  let wait = 0;
  for (const { key, rule } of checks) {
    const { windowStart, retryAfterSeconds } = await countRequest(prisma, key, rule, now);
    held.push({ key, windowStart });
    wait = Math.max(wait, retryAfterSeconds);
  }
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    for (const h of held) await uncount(prisma, h.key, h.windowStart);
  };
  if (wait > 0) {
    await release();
    throw rateLimited(wait);
  }
  return { release };
}

/**
 * A rate-limit key part that names a person (an email): stored as a SHA-256 prefix, so
 * the RateLimitBucket table holds no address in clear, while the same email still maps
 * to the same bucket.
 */
export function personKey(value: string): string {
  return createHash("sha256").update(value.trim().toLowerCase()).digest("hex").slice(0, 32);
}

/**
 * 0 when `count + previous × (1 − elapsed)` is within `limit`; otherwise how long (as a
 * fraction of the window) until it will be, if no more requests come.
 */
export function slidingWindowWait(input: { count: number; previous: number; elapsed: number; limit: number }): number {
  const { count, previous, elapsed, limit } = input;
  if (count + previous * (1 - elapsed) <= limit) return 0;
  // This window alone is within the limit: wait for the previous window's weight to fade.
  if (count <= limit) return 1 - (limit - count) / previous - elapsed;
  // This window alone is over: into the next window, where this one's weight fades.
  return 1 - elapsed + (1 - limit / count);
}

/** Checks several keys (e.g. per address and per email); the first exhausted one throws. */
export async function consumeRateLimits(prisma: PrismaClient, enabled: boolean, checks: { key: string; rule: RateLimitRule }[]): Promise<void> {
  if (!enabled) return;
  for (const { key, rule } of checks) await consumeRateLimit(prisma, key, rule);
}

/** Deletes finished windows; run by the periodic sweep. */
export async function purgeExpiredRateLimits(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.rateLimitBucket.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}

/** The limits of each public action, in one place so operators can find them. */
export const RATE_LIMITS = {
  bookingPerAddress: { limit: 20, windowSeconds: 600 },
  bookingPerEmail: { limit: 5, windowSeconds: 600 },
  confirmPerAddress: { limit: 30, windowSeconds: 600 },
  resendPerReservation: { limit: 1, windowSeconds: 60 },
  // Sign-in limits count FAILED attempts only (holdRateLimits), see auth.service.ts.
  /** One address guessing one account's password. */
  loginFailuresPerAccountAddress: { limit: 5, windowSeconds: 900 },
  /** One address guessing across many accounts (password spraying). */
  loginFailuresPerAddress: { limit: 20, windowSeconds: 900 },
  /** Guesses at one account from everywhere, counted for clients without a device cookie only. */
  loginFailuresPerAccount: { limit: 20, windowSeconds: 900 },
  /** Guesses from one trusted device (a device cookie). */
  loginFailuresPerDevice: { limit: 5, windowSeconds: 900 },
  checkinPerUser: { limit: 600, windowSeconds: 60 },
  /** The door's name/email search: a visitor without a phone now and then, never an address book. */
  searchPerUser: { limit: 30, windowSeconds: 300 },
  // A door polls its manifest every few seconds for each of tonight's performances.
  manifestPerUser: { limit: 120, windowSeconds: 60 },
  // One sync carries up to 500 scans; a door sends one every few seconds at most.
  syncPerUser: { limit: 30, windowSeconds: 60 },
  ticketPerAddress: { limit: 120, windowSeconds: 60 },
  // "Lost your ticket?" sends an email to the address typed: few per hour, whoever asks.
  lostTicketsPerAddress: { limit: 10, windowSeconds: 3600 },
  lostTicketsPerEmail: { limit: 3, windowSeconds: 3600 },
} as const satisfies Record<string, RateLimitRule>;
