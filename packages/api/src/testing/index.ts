import type { PrismaClient } from "@sipario/db";
import { loadConfig, type AppConfig } from "../config.ts";
import { createCaller } from "../root.ts";
import type { CookieJar, SessionUser } from "../lib/request.ts";
import type { Context } from "../trpc.ts";

/** A cookie jar in memory, for callers outside a request. */
export function memoryCookies(): CookieJar & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: (name) => values.get(name),
    set: (name, value) => void values.set(name, value),
    delete: (name) => void values.delete(name),
  };
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: "test", SESSION_SECRET: "x".repeat(40), BACKGROUND_JOBS: "false", ...overrides });
}

/** A tRPC caller with a full context, as the site would build it for one request. */
export function testCaller(prisma: PrismaClient, options: { config?: AppConfig; user?: SessionUser | null; clientAddress?: string; cookies?: CookieJar } = {}) {
  const ctx: Context = {
    prisma,
    config: options.config ?? testConfig(),
    clientAddress: options.clientAddress ?? "203.0.113.1",
    requestId: "test",
    cookies: options.cookies ?? memoryCookies(),
    user: options.user ?? null,
    sessionId: null,
  };
  return createCaller(ctx);
}

export { startTestSmtp, type TestSmtp } from "./smtp.ts";
