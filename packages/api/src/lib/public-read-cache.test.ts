import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminConfirmReservation } from "../booking/booking.service.ts";
import { cancelReservation } from "../cancellation/cancellation.service.ts";
import { updatePerformanceCapacity } from "../performance/capacity-edit.service.ts";
import { getConfig, setConfig } from "../config.ts";
import { testCaller, testConfig } from "../testing/index.ts";
import { cachedPublicRead, invalidatePublicReads } from "./public-read-cache.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});
const originalConfig = getConfig();
const useTtl = (ms: number) => setConfig({ ...originalConfig, PUBLIC_READ_CACHE_MS: ms });
afterEach(() => setConfig(originalConfig));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("public read cache", () => {
  it("concurrent misses share one read, and the answer is reused within the TTL", async () => {
    let reads = 0;
    const load = async () => {
      reads++;
      await sleep(30);
      return { reads };
    };
    const answers = await Promise.all(Array.from({ length: 20 }, () => cachedPublicRead(db.prisma, "test.shared", load)));
    expect(reads).toBe(1);
    expect(new Set(answers.map((a) => a.reads))).toEqual(new Set([1]));
    expect((await cachedPublicRead(db.prisma, "test.shared", load)).reads).toBe(1);
  });

  it("caches 'nothing there' (null) like any answer, and large answers too", async () => {
    let reads = 0;
    const missing = async () => {
      reads++;
      return null;
    };
    expect(await cachedPublicRead(db.prisma, "test.null", missing)).toBeNull();
    expect(await cachedPublicRead(db.prisma, "test.null", missing)).toBeNull();
    expect(reads).toBe(1);
    const page = { shareable: true, status: 200, headers: [], body: "x".repeat(200_000) };
    expect(await cachedPublicRead(db.prisma, "test.page", async () => page)).toBe(page);
  });

  it("errors are not cached: the next caller reads again", async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error("connection lost");
    };
    await expect(cachedPublicRead(db.prisma, "test.failing", failing)).rejects.toThrow("connection lost");
    await expect(cachedPublicRead(db.prisma, "test.failing", failing)).rejects.toThrow("connection lost");
    expect(calls).toBe(2);
  });

  it("an invalidation during a read still answers that read, and the next read is fresh", async () => {
    let version = 1;
    const load = async () => {
      const seen = version;
      await sleep(40);
      return seen;
    };
    const inFlight = cachedPublicRead(db.prisma, "test.inflight", load);
    await sleep(5);
    version = 2;
    invalidatePublicReads(db.prisma);
    expect(await inFlight).toBe(1);
    expect(await cachedPublicRead(db.prisma, "test.inflight", load)).toBe(2);
  });

  it("PUBLIC_READ_CACHE_MS=0 turns it off", async () => {
    useTtl(0);
    let reads = 0;
    const load = async () => ++reads;
    await cachedPublicRead(db.prisma, "test.off", load);
    await cachedPublicRead(db.prisma, "test.off", load);
    expect(reads).toBe(2);
  });

  it("never serves a performance's state, nor a page built from it, across its booking opening", async () => {
    useTtl(60_000);
    const performance = await factories.performance(db.prisma);
    const api = testCaller(db.prisma);
    // A busy machine is slow: the opening is far enough ahead for the first reads to precede it.
    const opensAt = new Date(Date.now() + 3_000);
    await db.prisma.performance.update({ where: { id: performance.id }, data: { bookingOpensAt: opensAt } });
    const page = () => cachedPublicRead(db.prisma, `test.page:${performance.id}`, () => api.catalogue.performance({ id: performance.id }));
    expect((await page()).bookingEnabled).toBe(false);
    // Cached (within a 60 s TTL): a second read before the opening is the same answer.
    expect((await api.catalogue.performance({ id: performance.id })).bookingOpensAt).toBe(opensAt.toISOString());
    while (Date.now() <= opensAt.getTime()) await sleep(opensAt.getTime() - Date.now() + 5);
    expect((await api.catalogue.performance({ id: performance.id })).bookingEnabled).toBe(true);
    expect((await page()).bookingEnabled).toBe(true);
  });

  it("changes made behind the services' back show once the TTL has passed", async () => {
    useTtl(150);
    const show = await factories.show(db.prisma, { title: "Cache TTL" });
    const api = testCaller(db.prisma);
    expect((await api.catalogue.show({ slug: show.slug })).title).toBe("Cache TTL");
    await db.prisma.show.update({ where: { id: show.id }, data: { title: "Cache TTL, renamed" } });
    // Within the TTL the old answer is served: this is what the cache is for (and what
    // makes this test able to fail if the cache did nothing).
    expect((await api.catalogue.show({ slug: show.slug })).title).toBe("Cache TTL");
    await sleep(200);
    expect((await api.catalogue.show({ slug: show.slug })).title).toBe("Cache TTL, renamed");
  });

  it("a confirmation, a cancellation or a capacity edit through the services shows at once", async () => {
    useTtl(60_000);
    const performance = await factories.performance(db.prisma, { roomCapacity: 20 });
    const api = testCaller(db.prisma);
    const seats = async () => (await api.catalogue.performance({ id: performance.id })).availableSeats;
    const listed = async () => (await api.catalogue.performances({})).items.find((p) => p.id === performance.id)?.availableSeats;
    expect([await seats(), await listed()]).toEqual([20, 20]);

    const pending = await factories.reservation(db.prisma, { performanceId: performance.id, status: "pending", partySize: 4 });
    await adminConfirmReservation(db.prisma, testConfig(), pending.id);
    expect([await seats(), await listed()]).toEqual([16, 16]);

    await cancelReservation(db.prisma, pending.id);
    expect([await seats(), await listed()]).toEqual([20, 20]);

    await updatePerformanceCapacity(db.prisma, performance.id, { additionalSeats: 5 });
    expect([await seats(), await listed()]).toEqual([25, 25]);
  });
});
