// Issue 13, finding 13: /readyz used to open a fresh database connection per request.
import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testCaller, testConfig } from "../testing/index.ts";
import { checkReadiness, READINESS_CACHE_MS } from "./readiness.service.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("readiness", () => {
  it("answers from the pool, once per second however many ask", async () => {
    const queries = vi.spyOn(db.prisma, "$queryRawUnsafe");
    const start = 1_000_000;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => checkReadiness(db.prisma, { SMTP_URL: "smtp://x" }, start + i)));
    expect(answers.every((a) => a.ready)).toBe(true);
    const perMeasurement = queries.mock.calls.length;
    expect(perMeasurement).toBeGreaterThan(0);
    expect(perMeasurement).toBeLessThanOrEqual(3); // SELECT 1 and the migrations table
    // Still within the second: nothing more.
    await checkReadiness(db.prisma, { SMTP_URL: "smtp://x" }, start + READINESS_CACHE_MS - 1);
    expect(queries.mock.calls.length).toBe(perMeasurement);
    // A second later: measured again.
    await checkReadiness(db.prisma, { SMTP_URL: "smtp://x" }, start + READINESS_CACHE_MS);
    expect(queries.mock.calls.length).toBe(2 * perMeasurement);
    queries.mockRestore();
  });

  it("names what is missing without saying how it is configured", async () => {
    const answer = await checkReadiness(db.prisma, {}, 9_000_000);
    expect(answer.ready).toBe(false);
    expect(answer.body.checks.smtp).toEqual({ ok: false, detail: "SMTP_URL is not set" });
    expect(JSON.stringify(answer.body)).not.toMatch(/postgres(ql)?:\/\//);
  });

  it("health.ready answers the same through tRPC, and refuses unknown input", async () => {
    const api = testCaller(db.prisma, { config: testConfig({ SMTP_URL: "smtp://127.0.0.1:2525" }) });
    expect(await api.health.ready()).toEqual({
      ready: true,
      body: { status: "ready", checks: { database: { ok: true }, migrations: { ok: true }, smtp: { ok: true } } },
    });
    await expect(api.health.ready({ verbose: true } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
