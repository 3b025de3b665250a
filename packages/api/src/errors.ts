import { pgErrorOf } from "@sipario/db";
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { z } from "zod";

/**
 * Domain errors carry a machine-readable reason (docs/api.md lists them). This file is the one
 * place that decides which TRPCError code each reason becomes.
 */
export const REASON_CODES = {
  invalid_input: "BAD_REQUEST",
  not_found: "NOT_FOUND",
  unknown_token: "NOT_FOUND",
  booking_closed: "CONFLICT",
  booking_not_open_yet: "CONFLICT",
  limit_per_person: "CONFLICT",
  not_enough_seats: "CONFLICT",
  seats_available: "CONFLICT",
  not_waiting: "CONFLICT",
  token_used: "CONFLICT",
  reservation_not_pending: "CONFLICT",
  reservation_not_confirmed: "CONFLICT",
  already_checked_in: "CONFLICT",
  wrong_performance: "CONFLICT",
  undo_not_allowed: "CONFLICT",
  capacity_below_confirmed: "CONFLICT",
  last_admin: "CONFLICT",
  token_expired: "PRECONDITION_FAILED",
  wrong_day: "PRECONDITION_FAILED",
  // An offline scan whose scannedAt is not on the performance's day (or is in the future).
  scan_out_of_window: "PRECONDITION_FAILED",
  rate_limited: "TOO_MANY_REQUESTS",
  invalid_credentials: "UNAUTHORIZED",
  unauthenticated: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  unavailable: "SERVICE_UNAVAILABLE",
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;

export type Reason = keyof typeof REASON_CODES;

// Set to 0 while the Error constructor runs (V8 reads it there), restored right after.
// Done in super()'s argument because nothing may run before super() in a subclass.
let savedStackTraceLimit = Error.stackTraceLimit;
function stackless<T>(value: T): T {
  savedStackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return value;
}

/**
 * An expected outcome a client is told about (a sold-out performance, a used link), not
 * a bug: it carries no stack trace. Capturing one, and tRPC copying it (source-mapped
 * under tsx), showed in the on-sale profile, where most confirmations end in
 * `not_enough_seats` (docs/performance.md).
 */
export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly reason: Reason,
    message?: string,
    /** Extra, non-personal details for the client (e.g. checkedInAt). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(stackless(message ?? reason));
    Error.stackTraceLimit = savedStackTraceLimit;
  }
  get code(): TRPC_ERROR_CODE_KEY {
    return REASON_CODES[this.reason];
  }
}

/** True for an expected domain outcome (with its `reason`), false for anything else. */
export function isDomainError(error: unknown, reason?: Reason): error is DomainError {
  return error instanceof DomainError && (reason === undefined || error.reason === reason);
}

export function toTRPCError(error: DomainError): TRPCError {
  const trpcError = new TRPCError(stackless({ code: error.code, message: error.message, cause: error }));
  Error.stackTraceLimit = savedStackTraceLimit;
  return trpcError;
}

/** PostgreSQL errors that mean "try again" rather than "bug". */
const TRANSIENT_PG_CODES = new Set(["40001", "40P01", "57P01", "57P03", "08000", "08003", "08006", "53300"]);
/** Prisma's own codes for "cannot reach / lost the server / pool timed out / transaction gone". */
const TRANSIENT_PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024", "P2028"]);
export function isTransientDatabaseError(error: unknown): boolean {
  const driver = pgErrorOf(error);
  const code = driver?.code ?? (error as { code?: string } | null)?.code;
  if (code && (TRANSIENT_PG_CODES.has(code) || TRANSIENT_PRISMA_CODES.has(code))) return true;
  if (["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TransactionWriteConflict"].includes(driver?.kind ?? "")) return true;
  const text = String((error as Error)?.message ?? "");
  return /ECONNREFUSED|ECONNRESET|Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(text);
}

/**
 * PostgreSQL's class 22 (data exception: a NUL in text, invalid text for a type, a number
 * out of range): input that got past zod, still the client's fault, never a 500. The
 * tRPC layer and the back-office both answer it with 400 `invalid_input`.
 */
export function isDatabaseInputError(error: unknown): boolean {
  return pgErrorOf(error)?.code?.startsWith("22") ?? false;
}

/** The shape of `error.data` every client sees (merged into tRPC's default). */
export function errorData(error: TRPCError): { reason: string; issues?: { path: string; message: string }[] } & Record<string, unknown> {
  const cause = error.cause;
  if (cause instanceof DomainError) return { reason: cause.reason, ...cause.details };
  if (cause instanceof z.ZodError) {
    return {
      reason: "invalid_input",
      issues: cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  }
  switch (error.code) {
    case "BAD_REQUEST":
    case "PARSE_ERROR":
      return { reason: "invalid_input" };
    case "NOT_FOUND":
      return { reason: "not_found" };
    case "UNAUTHORIZED":
      return { reason: "unauthenticated" };
    case "FORBIDDEN":
      return { reason: "forbidden" };
    case "TOO_MANY_REQUESTS":
      return { reason: "rate_limited" };
    case "SERVICE_UNAVAILABLE":
      return { reason: "unavailable" };
    case "METHOD_NOT_SUPPORTED":
      return { reason: "method_not_supported" };
    default:
      return { reason: "internal_error" };
  }
}
