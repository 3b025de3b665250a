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
  if (retryAfterMs > 0) {
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    throw new DomainError("rate_limited", "Too many requests. Please wait a moment and try again.", { retryAfterSeconds });
  }
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
export async function consumeRateLimits(
  prisma: PrismaClient,
  enabled: boolean,
  checks: { key: string; rule: RateLimitRule }[],
): Promise<void> {
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
  loginPerAddress: { limit: 20, windowSeconds: 900 },
  loginPerAccount: { limit: 5, windowSeconds: 900 },
  checkinPerUser: { limit: 600, windowSeconds: 60 },
  // A door polls its manifest every few seconds for each of tonight's performances.
  manifestPerUser: { limit: 120, windowSeconds: 60 },
  // One sync carries up to 500 scans; a door sends one every few seconds at most.
  syncPerUser: { limit: 30, windowSeconds: 60 },
  ticketPerAddress: { limit: 120, windowSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;
