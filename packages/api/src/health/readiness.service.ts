import { pendingMigrations, type PrismaClient, type SqlSession } from "@sipario/db";
import type { AppConfig } from "../config.ts";
import { getLogger } from "../logger.ts";

export interface Readiness {
  ready: boolean;
  body: { status: "ready" | "not_ready"; checks: Record<string, { ok: boolean; detail?: string }> };
}

/** How long one answer is reused: probes and anonymous visitors cannot make it query more often. */
export const READINESS_CACHE_MS = 1_000;

/** pendingMigrations needs only `query`: run it through the app's own pool, not a new connection. */
function pooledSession(prisma: PrismaClient): SqlSession {
  return {
    exec: async (sql) => void (await prisma.$executeRawUnsafe(sql)),
    query: async <T>(sql: string, params: unknown[] = []) => (await prisma.$queryRawUnsafe(sql, ...params)) as T[],
    close: async () => {},
  };
}

async function measure(prisma: PrismaClient, config: Pick<AppConfig, "SMTP_URL">): Promise<Readiness> {
  const checks: Readiness["body"]["checks"] = {};
  try {
    await prisma.$queryRawUnsafe("SELECT 1");
    checks.database = { ok: true };
    const pending = await pendingMigrations(pooledSession(prisma));
    checks.migrations = pending.length ? { ok: false, detail: `${pending.length} pending` } : { ok: true };
  } catch (error) {
    getLogger().warn({ err: error }, "readiness check failed");
    checks.database ??= { ok: false, detail: "unreachable" };
    checks.migrations ??= { ok: false, detail: "unknown" };
  }
  checks.smtp = config.SMTP_URL ? { ok: true } : { ok: false, detail: "SMTP_URL is not set" };
  const ready = Object.values(checks).every((c) => c.ok);
  return { ready, body: { status: ready ? "ready" : "not_ready", checks } };
}

const cache = new WeakMap<PrismaClient, { expiresAt: number; answer: Promise<Readiness> }>();

/**
 * Readiness for /readyz (site and back-office): the database answers through the
 * process's pool, every migration is applied, mail can go out. Says what is wrong, never
 * how it is configured. One answer is shared for READINESS_CACHE_MS, and requests that
 * arrive while it is being measured wait for that same measurement, so a flood of
 * anonymous /readyz requests costs two small queries a second (issue 13, finding 13).
 */
export function checkReadiness(prisma: PrismaClient, config: Pick<AppConfig, "SMTP_URL">, now = Date.now()): Promise<Readiness> {
  const cached = cache.get(prisma);
  if (cached && now < cached.expiresAt) return cached.answer;
  const answer = measure(prisma, config);
  cache.set(prisma, { expiresAt: now + READINESS_CACHE_MS, answer });
  return answer;
}
