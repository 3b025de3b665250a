import { getLogger, type AppConfig } from "@sipario/api";
import { pendingMigrations, type PrismaClient, type SqlSession } from "@sipario/db";
import type { Router } from "express";
import express from "express";

/** pendingMigrations needs only `query`: run it through the app's own Prisma client. */
function prismaSession(prisma: PrismaClient): SqlSession {
  return {
    exec: async (sql) => void (await prisma.$executeRawUnsafe(sql)),
    query: async <T>(sql: string, params: unknown[] = []) => (await prisma.$queryRawUnsafe(sql, ...params)) as T[],
    close: async () => {},
  };
}

/**
 * /healthz: the process answers. /readyz: the database answers, every migration is
 * applied and mail can go out (503 otherwise), naming what is wrong but never how it
 * is configured.
 */
export function healthRoutes(prisma: PrismaClient, config: AppConfig): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    res.set("cache-control", "no-store").json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
    try {
      await prisma.$queryRawUnsafe("SELECT 1");
      checks.database = { ok: true };
      const pending = await pendingMigrations(prismaSession(prisma));
      checks.migrations = pending.length ? { ok: false, detail: `${pending.length} pending` } : { ok: true };
    } catch (error) {
      getLogger().warn({ err: error }, "back-office readiness check failed");
      checks.database ??= { ok: false, detail: "unreachable" };
      checks.migrations ??= { ok: false, detail: "unknown" };
    }
    checks.smtp = config.SMTP_URL ? { ok: true } : { ok: false, detail: "SMTP_URL is not set" };
    const ready = Object.values(checks).every((c) => c.ok);
    res.status(ready ? 200 : 503).set("cache-control", "no-store").json({ status: ready ? "ready" : "not_ready", checks });
  });
  return router;
}
