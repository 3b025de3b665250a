import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { consumeRateLimit, holdRateLimits, purgeExpiredRateLimits, slidingWindowWait } from "./rate-limit.service.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const rule = { limit: 5, windowSeconds: 900 };
const WINDOW_MS = rule.windowSeconds * 1000;
/** A moment `offsetMs` after the start of a window (windows are aligned to the epoch). */
const inWindow = (index: number, offsetMs: number) => new Date((Math.floor(Date.UTC(2026, 10, 23, 12) / WINDOW_MS) + index) * WINDOW_MS + offsetMs);

async function attempt(key: string, at: Date): Promise<"ok" | number> {
  try {
    await consumeRateLimit(db.prisma, key, rule, at);
    return "ok";
  } catch (error) {
    if (error instanceof DomainError && error.reason === "rate_limited") return Number(error.details?.retryAfterSeconds);
    throw error;
  }
}

describe("rate limits (sliding window, real PostgreSQL)", () => {
  it("a client cannot spend its limit twice around a window boundary", async () => {
    // Five attempts in the last second of one window, then more in the first seconds of
    // the next: a fixed window would have allowed five more here.
    const key = "test:boundary";
    for (let i = 0; i < 5; i++) expect(await attempt(key, inWindow(0, WINDOW_MS - 1_000 + i))).toBe("ok");
    const refused = await attempt(key, inWindow(1, 1_000));
    expect(refused).not.toBe("ok");
    // The wait is until the previous window's weight has faded enough, not a whole window.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(rule.windowSeconds);
  });

  it("allows the limit within a window and refuses the next request with a wait", async () => {
    const key = "test:plain";
    for (let i = 0; i < 5; i++) expect(await attempt(key, inWindow(0, 60_000 + i))).toBe("ok");
    const wait = await attempt(key, inWindow(0, 61_000));
    expect(typeof wait).toBe("number");
    // Over the limit in this window alone: into the next window plus the fade.
    expect(wait as number).toBeGreaterThan((WINDOW_MS - 61_000) / 1000);
  });

  it("lets a client back in once the old attempts have faded", async () => {
    const key = "test:fade";
    for (let i = 0; i < 5; i++) await attempt(key, inWindow(0, i));
    // Half-way through the next window the five old attempts weigh 2.5: two more fit, a third does not.
    expect(await attempt(key, inWindow(1, WINDOW_MS / 2))).toBe("ok");
    expect(await attempt(key, inWindow(1, WINDOW_MS / 2 + 1))).toBe("ok");
    expect(await attempt(key, inWindow(1, WINDOW_MS / 2 + 2))).not.toBe("ok");
    // Two windows later everything has faded.
    expect(await attempt(key, inWindow(3, 0))).toBe("ok");
  });

  it("counts across processes in the same rows, and many at once never overshoot", async () => {
    const key = "test:concurrent";
    const at = inWindow(0, 5_000);
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => attempt(key, at)));
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(5);
  });

  it("held attempts: concurrent failures never overshoot, releases and refusals give their slot back", async () => {
    const key = "test:held";
    const at = inWindow(0, 7_000);
    const hold = () =>
      holdRateLimits(db.prisma, true, [{ key, rule }], at).then(
        (held) => held,
        (error: unknown) => {
          if (error instanceof DomainError && error.reason === "rate_limited") return null;
          throw error;
        },
      );
    // Thirty guesses at once, all failing (kept): exactly the limit got through.
    const outcomes = await Promise.all(Array.from({ length: 30 }, hold));
    expect(outcomes.filter(Boolean)).toHaveLength(5);
    const count = async () => (await db.prisma.rateLimitBucket.findFirstOrThrow({ where: { key } })).count;
    expect(await count()).toBe(5); // the 25 refusals were given back
    // A success gives its slot back, once.
    const other = "test:held-release";
    const held = (await holdRateLimits(db.prisma, true, [{ key: other, rule }], at))!;
    await held.release();
    await held.release();
    expect((await db.prisma.rateLimitBucket.findFirstOrThrow({ where: { key: other } })).count).toBe(0);
  });

  it("the sweep keeps the previous window's bucket while it still counts", async () => {
    const key = "test:purge";
    await attempt(key, inWindow(0, 0));
    // Still in use as "the previous window" until the end of the window after its own.
    await purgeExpiredRateLimits(db.prisma, inWindow(1, WINDOW_MS - 1));
    expect(await db.prisma.rateLimitBucket.count({ where: { key } })).toBe(1);
    await purgeExpiredRateLimits(db.prisma, inWindow(2, 1));
    expect(await db.prisma.rateLimitBucket.count({ where: { key } })).toBe(0);
  });

  it("slidingWindowWait: the wait brings the estimate back to the limit exactly", () => {
    for (const [count, previous, elapsed] of [
      [3, 6, 0.1],
      [5, 5, 0.5],
      [8, 2, 0.3],
      [6, 0, 0.9],
    ] as const) {
      const wait = slidingWindowWait({ count, previous, elapsed, limit: 5 });
      expect(wait).toBeGreaterThan(0);
      // Replay the estimate at elapsed + wait (crossing into the next window if needed).
      const t = elapsed + wait;
      const estimate = t < 1 ? count + previous * (1 - t) : count * (1 - (t - 1));
      expect(estimate).toBeCloseTo(5, 9);
    }
    expect(slidingWindowWait({ count: 2, previous: 4, elapsed: 0.5, limit: 5 })).toBe(0);
  });
});
