import { pino, type DestinationStream, type Logger } from "pino";

/**
 * Structured JSON logs. Redaction is a second line of defence: code must not log tokens,
 * passwords, cookies, emails or booking payloads in the first place.
 */
export const REDACT_PATHS = [
  "token",
  "*.token",
  "password",
  "*.password",
  "email",
  "*.email",
  "phone",
  "*.phone",
  "name",
  "notes",
  "*.notes",
  "input",
  "*.input",
  "body",
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "headers.cookie",
  "headers.authorization",
];

const TOKEN_IN_PATH = /\/(confirm|tickets|t)\/[A-Za-z0-9_-]{16,}/g;

/** Removes raw tokens from a URL path before it is logged. */
export function redactPath(path: string): string {
  return path.replace(TOKEN_IN_PATH, "/$1/[token]");
}

const EMAILISH = /[^\s<>"'@]+@[^\s<>"'@]+/g;
const TOKENISH = /[A-Za-z0-9_-]{32,}/g;
/**
 * Any error as one line fit for the log and the outbox's lastError: its code and message,
 * never an address or a token (an SMTP answer may echo the recipient, a database error
 * the values of the row). What every background job logs when it fails.
 */
export function loggableError(error: unknown): string {
  const e = error as { code?: string; responseCode?: number; message?: string };
  const message = String(e?.message ?? error)
    .replace(EMAILISH, "[address]")
    .replace(TOKENISH, "[redacted]");
  return [e?.code, e?.responseCode, message].filter(Boolean).join(" ").slice(0, 480);
}

/** A logger with Sipario's configuration, writing to `destination` (stdout by default). */
export function createLogger(destination?: DestinationStream, level?: string): Logger {
  const options = {
    level: level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
    base: { service: process.env.SIPARIO_SERVICE ?? "sipario" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Asynchronous stdout: a busy process batches its lines into fewer writes instead of one
  // blocking write per request (measured in docs/performance.md). Pino
  // flushes what is buffered when the process exits.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

let root: Logger | undefined;
export function getLogger(): Logger {
  root ??= createLogger();
  return root;
}

/** Tests capture logs by installing their own destination. */
export function setLogger(logger: Logger): void {
  root = logger;
}
