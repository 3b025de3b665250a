import type { PrismaClient } from "@sipario/db";
import { DomainError } from "../errors.ts";

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Counts one request against `key` in a fixed window stored in PostgreSQL, so every
 * server process shares the same counters. One atomic upsert per call: no
 * read-then-write race. Throws DomainError("rate_limited") once the limit is passed,
 * with `retryAfterSeconds` in its details.
 */
export async function consumeRateLimit(prisma: PrismaClient, key: string, rule: RateLimitRule, now = new Date()): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const expiresAt = new Date(windowStart.getTime() + windowMs);
  const rows = await prisma.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitBucket" ("key", "windowStart", "count", "expiresAt")
    VALUES (${key}, ${windowStart}, 1, ${expiresAt})
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitBucket"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 0);
  if (count > rule.limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
    throw new DomainError("rate_limited", "Too many requests. Please wait a moment and try again.", { retryAfterSeconds });
  }
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
  ticketPerAddress: { limit: 120, windowSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;
