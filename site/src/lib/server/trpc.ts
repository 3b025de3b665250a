import { clientAddress as addressOf, cachedPublicRead, createCaller, errorData, getConfig, resumeSession, type Context, type SessionUser } from "@sipario/api";
import { getDatabase } from "@sipario/db";
import type { RequestEvent } from "@sveltejs/kit";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";

/*
 * The tRPC context set-up: the one module of the site that holds the database handle.
 * Pages and endpoints reach the domain through serverCaller(event) (or the browser through
 * /api/trpc); the hooks use the two helpers below, which fill the context's `user` /
 * `sessionId` and share rendered pages through the same cache the api's services clear.
 */

/** The signed-in staff member of a request (session cookie refreshed or deleted: the api's resumeSession). */
export async function resolveSession(event: RequestEvent): Promise<{ user: SessionUser | null; sessionId: string | null }> {
  const { prisma } = await getDatabase();
  return resumeSession(prisma, getConfig(), event.cookies);
}

/**
 * `load()` through the api's public-read cache (packages/api/src/lib/public-read-cache.ts) of this
 * process's database, which every confirmation, cancellation or capacity edit clears.
 */
export async function cachedPublicResponse<T>(key: string, load: () => Promise<T>, options: { bytes?: (value: T) => number } = {}): Promise<T> {
  const { prisma } = await getDatabase();
  return cachedPublicRead(prisma, key, load, options);
}

/** The tRPC context of one request, the same for server-side calls and /api/trpc. */
export async function createContext(event: RequestEvent): Promise<Context> {
  const { prisma } = await getDatabase();
  return {
    prisma,
    config: getConfig(),
    clientAddress: clientAddress(event),
    requestId: event.locals.requestId,
    cookies: event.cookies,
    user: event.locals.user,
    sessionId: event.locals.sessionId,
  };
}

/**
 * The visitor's address for rate limits: packages/api's clientAddress, the one reading
 * of ADDRESS_HEADER / XFF_DEPTH that the back-office uses too. The socket's address
 * comes from getClientAddress(), which is only asked when no header is configured.
 */
export function clientAddress(event: RequestEvent): string {
  return addressOf(
    {
      header: (name) => event.request.headers.get(name),
      socketAddress: () => {
        try {
          return event.getClientAddress();
        } catch {
          return undefined;
        }
      },
    },
    getConfig(),
  );
}

/** A tRPC caller for load functions and form actions: the same procedures the browser gets. */
export async function serverCaller(event: RequestEvent) {
  return createCaller(await createContext(event));
}

export interface CallFailure {
  status: number;
  reason: string;
  message: string;
  /** Field errors of invalid input: path -> first message. */
  fields: Record<string, string>;
  data: Record<string, unknown>;
}

/**
 * Turns what a server-side call threw into {status, reason} for a page. Anything that
 * is not a TRPCError is a bug and is rethrown (SvelteKit logs it and shows the 500 page).
 */
export function callFailure(error: unknown): CallFailure {
  if (!(error instanceof TRPCError)) throw error;
  if (error.code === "INTERNAL_SERVER_ERROR") throw error;
  // The same data an HTTP client of /api/trpc gets: the api's own error formatter.
  const data: Record<string, unknown> = errorData(error);
  const fields: Record<string, string> = {};
  const issues = Array.isArray(data.issues) ? (data.issues as { path?: string; message?: string }[]) : [];
  for (const issue of issues) {
    const key = issue.path || "_";
    fields[key] ??= issue.message ?? "invalid";
  }
  return {
    status: getHTTPStatusCodeFromError(error),
    reason: String(data.reason),
    message: error.message,
    fields,
    data,
  };
}
