// Issue 13, finding 14: the ticket endpoints' rate limit was defined but never applied.
import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectReason } from "../checkin/checkin.fixtures.ts";
import { RATE_LIMITS } from "../rate-limit/rate-limit.service.ts";
import { testCaller, testConfig } from "../testing/index.ts";
import { generateToken } from "../lib/tokens.ts";

let db: TestDatabase;
const config = testConfig(); // RATE_LIMITS on
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const limit = RATE_LIMITS.ticketPerAddress.limit;
/** What the site's /tickets/<token>/calendar.ics endpoint calls. */
const calendar = (token: string, address: string) => testCaller(db.prisma, { config, clientAddress: address }).tickets.calendar({ token });

describe("ticket endpoints are rate limited per address", () => {
  it("tickets.get, tickets.cancel and the calendar share one budget; another address is unaffected", async () => {
    const caller = testCaller(db.prisma, { config, clientAddress: "203.0.113.140" });
    // Guessing tokens: each unknown one answers NOT_FOUND until the budget is spent.
    for (let i = 0; i < limit; i++) {
      const token = generateToken();
      const call = i % 3 === 0 ? caller.tickets.cancel({ token }) : i % 3 === 1 ? caller.tickets.get({ token }) : calendar(token, "203.0.113.140");
      await call.then(
        () => expect.unreachable("an unknown token cannot succeed"),
        (e: { code?: string }) => expect(e.code).toBe("NOT_FOUND"),
      );
    }
    await expectReason(caller.tickets.get({ token: generateToken() }), "TOO_MANY_REQUESTS", "rate_limited");
    await expectReason(caller.tickets.cancel({ token: generateToken() }), "TOO_MANY_REQUESTS", "rate_limited");
    await expectReason(calendar(generateToken(), "203.0.113.140"), "TOO_MANY_REQUESTS", "rate_limited");
    await expectReason(testCaller(db.prisma, { config, clientAddress: "203.0.113.141" }).tickets.get({ token: generateToken() }), "NOT_FOUND", "unknown_token");
  });
});
