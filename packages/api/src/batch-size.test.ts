import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTrpcHttpServer } from "./testing/http-server.ts";
import { testConfig } from "./testing/index.ts";
import { MAX_BATCH_SIZE } from "./trpc.ts";

/** Issue 13, finding 12: one request carried 1,000 calls; a batch is now at most MAX_BATCH_SIZE. */
let db: TestDatabase;
let http: Awaited<ReturnType<typeof startTrpcHttpServer>>;
beforeAll(async () => {
  db = await createTestDatabase();
  http = await startTrpcHttpServer(db.prisma, testConfig({ RATE_LIMITS: "false" }));
});
afterAll(async () => {
  await http?.close();
  await db?.drop();
});

const batch = (n: number) => {
  const paths = Array.from({ length: n }, () => "health.check").join(",");
  const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]));
  return fetch(`${http.url}/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
};

describe("tRPC batches", () => {
  it(`answer up to ${MAX_BATCH_SIZE} calls; a larger batch is refused with 400, unrun`, async () => {
    expect((await batch(MAX_BATCH_SIZE)).status).toBe(200);
    expect((await batch(MAX_BATCH_SIZE + 1)).status).toBe(400);
    // A thousand calls do not even fit in a request line (431), let alone run.
    const thousand = (await batch(1000)).status;
    expect(thousand >= 400 && thousand < 500).toBe(true);
  });
});
