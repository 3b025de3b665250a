import type { PrismaClient } from "@sipario/db";
import { AsyncLocalStorage } from "node:async_hooks";
import { LRUCache } from "lru-cache";
import { getConfig } from "../config.ts";

/**
 * A short per-process cache for public reads: shows, performances with their free seats,
 * company pages and settings. They are the same for every visitor and change rarely, but
 * when sales open every visitor asks for them at once (docs/performance.md, scenario 3).
 *
 * - Entries live PUBLIC_READ_CACHE_MS (default 2 s; 0 turns the cache off).
 * - Concurrent misses for one key share one database read (lru-cache's `fetch`).
 * - A write that changes what visitors see, made through this process's services
 *   (confirm, cancel, capacity edit), clears the cache of that database at once, so a
 *   visitor sees their own booking or cancellation immediately. Changes made elsewhere
 *   (another site process, the back-office's generic edit forms) show within the TTL.
 * - Never used for anything that decides: booking and check-in always read the database
 *   under their locks. A seat count shown up to 2 s old only changes what a page says.
 */

/** What a cache miss runs: the read, and how to weigh its answer. */
interface Loader {
  load: () => Promise<unknown>;
  bytes: (value: unknown) => number;
}

/** The earliest self-inflicted change instant noted by the read in progress. */
const boundaries = new AsyncLocalStorage<{ at: number | null }>();

interface DatabaseCache {
  /** Bumped by every invalidation: a read that started before it stores under a dead key. */
  generation: number;

  entries: LRUCache<string, Entry, Loader>;
}

/**
 * An entry is useful for the TTL only, and within 2 s a theatre's visitors ask for a few
 * hundred distinct answers at most (shows x languages x page and data requests). Expired
 * entries and those of an older generation stay until evicted, so these bounds are what
 * the cache really occupies under load: they are part of the site's memory budget
 * (docs/performance.md, "Memory").
 */
const MAX_ENTRIES = 500;
/**
 * A caller may key entries by something visitors choose (a URL with made-up query
 * strings), so the cache is bounded by size, not only by count (~16 MB per database).
 */
const MAX_BYTES = 16 * 1024 * 1024;

/** What the cache holds: the answer, and the instant it changes by itself, if any. */
interface Entry {
  value: unknown;
  changesAt: number | null;
  bytes: number;
}

/** The default weight of an answer: its JSON's length. null ("no such page") is an answer too. */
function jsonBytes(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}
const caches = new WeakMap<PrismaClient, DatabaseCache>();

function cacheFor(prisma: PrismaClient): DatabaseCache {
  let cache = caches.get(prisma);
  if (!cache) {
    cache = {
      generation: 0,
      entries: new LRUCache<string, Entry, Loader>({
        max: MAX_ENTRIES,
        maxSize: MAX_BYTES,
        sizeCalculation: (entry) => entry.bytes + 256,
        ttl: 2_000, // each fetch passes the configured TTL
        // A read evicted while in flight (many distinct keys) still answers its callers.
        ignoreFetchAbort: true,
        allowStaleOnFetchAbort: true,
        // Errors (not_found, a dropped connection) are not cached: the next visitor asks again.
        fetchMethod: async (_key, _stale, { context }) => {
          // Remember the earliest instant the answer changes by itself (notePublicReadBoundary).
          const boundary: { at: number | null } = { at: null };
          const value = await boundaries.run(boundary, context.load);
          return { value, changesAt: boundary.at, bytes: context.bytes(value) };
        },
      }),
    };
    caches.set(prisma, cache);
  }
  return cache;
}

/**
 * `load()`'s result for `key`, from the cache when it is younger than the TTL. The key must
 * name everything the result depends on (procedure and input, locale). `options.bytes`
 * weighs an answer when its JSON would be costly to build (a rendered page: its body).
 */
export async function cachedPublicRead<T>(
  prisma: PrismaClient,
  key: string,
  load: () => Promise<T>,
  options: { bytes?: (value: T) => number } = {},
): Promise<T> {
  const ttl = getConfig().PUBLIC_READ_CACHE_MS;
  if (ttl === 0) return load();
  const cache = cacheFor(prisma);
  const cacheKey = `${cache.generation}:${key}`;
  const context = { load, bytes: options.bytes ?? jsonBytes } as Loader;
  let entry = (await cache.entries.fetch(cacheKey, { context, ttl }))!;
  if (entry.changesAt !== null && entry.changesAt <= Date.now()) {
    // Read before a booking window opened or closed: never served after that instant.
    cache.entries.delete(cacheKey);
    entry = (await cache.entries.fetch(cacheKey, { context, ttl }))!;
  }
  // A page rendered from this answer must not outlive it either.
  if (entry.changesAt !== null) notePublicReadBoundary(new Date(entry.changesAt));
  return entry.value as T;
}

/**
 * Call after a committed write that changes seats or the catalogue. Old entries become
 * unreachable and age out; they are not cleared, because clearing aborts reads in flight
 * and their callers would get an error instead of a (just superseded) answer.
 */
export function invalidatePublicReads(prisma: PrismaClient): void {
  const cache = caches.get(prisma);
  if (cache) cache.generation++;
}

/**
 * Tells the public-read cache that the read now loading changes by itself at `instant` (a
 * booking window opening or closing, the curtain): its entry is kept only until then, so
 * "Booking opens on …" is never served after the opening. A no-op outside a cached read.
 */
export function notePublicReadBoundary(instant: Date | null, now = Date.now()): void {
  const boundary = boundaries.getStore();
  if (!boundary || !instant || instant.getTime() <= now) return;
  if (boundary.at === null || instant.getTime() < boundary.at) boundary.at = instant.getTime();
}
