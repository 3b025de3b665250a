import { getConfig, getLogger } from "@sipario/api";
import { getDatabase, pendingMigrations } from "@sipario/db";
import { json } from "@sveltejs/kit";
import type { RequestHandler } from "./$types";

/**
 * Readiness: the database answers, every migration is applied and mail can go out.
 * 503 otherwise. Says what is wrong, never how it is configured (no URLs, no secrets).
 */
export const GET: RequestHandler = async ({ locals }) => {
  const checks: Record<string, { ok: boolean; detail?: string }> = {};
  try {
    const db = await getDatabase();
    await db.prisma.$queryRawUnsafe("SELECT 1");
    checks.database = { ok: true };
    const session = await db.openSqlSession();
    try {
      const pending = await pendingMigrations(session);
      checks.migrations = pending.length ? { ok: false, detail: `${pending.length} pending` } : { ok: true };
    } finally {
      await session.close();
    }
  } catch (error) {
    getLogger().warn({ err: error, requestId: locals.requestId }, "readiness check failed");
    checks.database ??= { ok: false, detail: "unreachable" };
    checks.migrations ??= { ok: false, detail: "unknown" };
  }
  let smtp = false;
  try {
    smtp = Boolean(getConfig().SMTP_URL);
  } catch {
    smtp = false;
  }
  checks.smtp = smtp ? { ok: true } : { ok: false, detail: "SMTP_URL is not set" };
  const ready = Object.values(checks).every((c) => c.ok);
  return json({ status: ready ? "ready" : "not_ready", checks }, { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } });
};
