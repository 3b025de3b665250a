// The app router served over node:http with @trpc/server's standalone adapter, building
// the Context per request as the site's endpoint does (client address from the socket,
// cookies from the headers, session from the cookie). Used in-process by the HTTP tests
// and as a child process (serve.ts) by the cross-process race tests.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pgErrorOf, type PrismaClient } from "@sipario/db";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { SESSION_COOKIE_NAME, validateSessionToken } from "../auth/session.service.ts";
import type { AppConfig } from "../config.ts";
import { getLogger } from "../logger.ts";
import { appRouter } from "../root.ts";
import type { CookieJar, CookieOptions } from "../lib/request.ts";
import { MAX_BATCH_SIZE, type Context } from "../trpc.ts";

function requestCookies(req: IncomingMessage, res: ServerResponse): CookieJar {
  const incoming = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    try {
      incoming.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
    } catch {
      /* a malformed cookie is ignored, not a 500 */
    }
  }
  const append = (name: string, value: string, o: Partial<CookieOptions>) => {
    const line = [`${name}=${encodeURIComponent(value)}`, `Path=${o.path ?? "/"}`];
    if (o.expires) line.push(`Expires=${o.expires.toUTCString()}`);
    if (o.maxAge !== undefined) line.push(`Max-Age=${o.maxAge}`);
    if (o.httpOnly) line.push("HttpOnly");
    if (o.secure) line.push("Secure");
    if (o.sameSite) line.push(`SameSite=${o.sameSite === "lax" ? "Lax" : "Strict"}`);
    const prev = res.getHeader("set-cookie");
    res.setHeader("set-cookie", [...(Array.isArray(prev) ? prev : prev ? [String(prev)] : []), line.join("; ")]);
  };
  return {
    get: (name) => incoming.get(name),
    set: (name, value, options) => append(name, value, options),
    delete: (name, options) => append(name, "", { ...options, expires: new Date(0), maxAge: 0 }),
  };
}

/** An HTTP server for the app router at `/trpc`. */
export function createTrpcHttpServer(prisma: PrismaClient, config: AppConfig, extras: Pick<Context, "guards"> = {}): Server {
  return createHTTPServer({
    router: appRouter,
    basePath: "/trpc/",
    maxBatchSize: MAX_BATCH_SIZE,
    onError({ error, path }) {
      if (error.code !== "SERVICE_UNAVAILABLE" && error.code !== "INTERNAL_SERVER_ERROR") return;
      // Diagnostics for the tests: codes and a token-free message, never the input.
      let cause: unknown = error.cause;
      while (cause && (cause as { cause?: unknown }).cause && !(cause as { meta?: unknown }).meta) cause = (cause as { cause?: unknown }).cause;
      const c = cause as { name?: string; code?: string; message?: string };
      getLogger().warn(
        {
          path,
          code: error.code,
          causeName: c?.name,
          causeCode: c?.code,
          driver: pgErrorOf(cause),
          message: String(c?.message ?? "")
            .replace(/[A-Za-z0-9_-]{32,}/g, "[redacted]")
            .slice(0, 300),
        },
        "request failed",
      );
    },
    async createContext({ req, res }): Promise<Context> {
      const cookies = requestCookies(req, res);
      const { session, user } = await validateSessionToken(prisma, cookies.get(SESSION_COOKIE_NAME), config);
      return {
        prisma,
        config,
        clientAddress: req.socket.remoteAddress ?? "unknown",
        requestId: randomUUID(),
        cookies,
        user,
        sessionId: session?.id ?? null,
        ...extras,
      };
    },
  });
}

/** Starts it on a free port; `url` is the tRPC endpoint (…/trpc). */
export async function startTrpcHttpServer(prisma: PrismaClient, config: AppConfig, host = "127.0.0.1", extras: Pick<Context, "guards"> = {}) {
  const server = createTrpcHttpServer(prisma, config, extras);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${port}/trpc`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
