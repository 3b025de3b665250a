import { clientAddress, createCaller, getConfig, type AppConfig, type Context } from "@sipario/api";
import { getDatabase } from "@sipario/db";
import type { RequestEvent } from "@sveltejs/kit";
import { TRPCError } from "@trpc/server";

/** The tRPC context of one request, the same for server-side calls and /api/trpc. */
export async function createContext(event: RequestEvent): Promise<Context> {
  const { prisma } = await getDatabase();
  const config = getConfig();
  return {
    prisma,
    config,
    clientAddress: visitorAddress(event, config),
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
function visitorAddress(event: RequestEvent, config: AppConfig): string {
  return clientAddress(
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
    config,
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

const STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  PARSE_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

/**
 * Turns what a server-side call threw into {status, reason} for a page. Anything that
 * is not a TRPCError is a bug and is rethrown (SvelteKit logs it and shows the 500 page).
 */
export function callFailure(error: unknown): CallFailure {
  if (!(error instanceof TRPCError)) throw error;
  if (error.code === "INTERNAL_SERVER_ERROR") throw error;
  const data = errorDataOf(error);
  const fields: Record<string, string> = {};
  const issues = Array.isArray(data.issues) ? (data.issues as { path?: string; message?: string }[]) : [];
  for (const issue of issues) {
    const key = issue.path || "_";
    fields[key] ??= issue.message ?? "invalid";
  }
  return {
    status: STATUS[error.code] ?? 500,
    reason: typeof data.reason === "string" ? data.reason : "internal_error",
    message: error.message,
    fields,
    data,
  };
}

// A server-side caller throws the raw TRPCError; the data the HTTP client would see is
// derived from its cause by the API's own error formatter logic.
function errorDataOf(error: TRPCError): Record<string, unknown> {
  const cause = error.cause as { reason?: unknown; details?: Record<string, unknown>; issues?: unknown } | undefined;
  if (cause && typeof cause.reason === "string") return { reason: cause.reason, ...(cause.details ?? {}) };
  if (cause && Array.isArray(cause.issues)) {
    return {
      reason: "invalid_input",
      issues: (cause.issues as { path: PropertyKey[]; message: string }[]).map((i) => ({
        path: i.path.map(String).join("."),
        message: i.message,
      })),
    };
  }
  const byCode: Record<string, string> = {
    BAD_REQUEST: "invalid_input",
    NOT_FOUND: "not_found",
    UNAUTHORIZED: "unauthenticated",
    FORBIDDEN: "forbidden",
    TOO_MANY_REQUESTS: "rate_limited",
    SERVICE_UNAVAILABLE: "unavailable",
  };
  return { reason: byCode[error.code] ?? "internal_error" };
}
