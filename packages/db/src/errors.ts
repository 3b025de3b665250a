/**
 * A start-up problem with the database that the operator can fix. Its message is one
 * line saying what is wrong and how to fix it; CLIs print it without a stack trace.
 */
export class DatabaseSetupError extends Error {
  override name = "DatabaseSetupError";
}

/** What the database driver said about a failed query, as Prisma's driver adapter maps it. */
export interface PgError {
  /** PostgreSQL's SQLSTATE ("23505", "40001", "22P02"...), when the driver had one. */
  code?: string;
  /** The adapter's name for it: "UniqueConstraintViolation", "DatabaseNotReachable"... */
  kind?: string;
  /** For constraint violations, what the adapter names: the fields or the index. */
  constraint?: { fields?: string[]; index?: string };
}

interface AdapterCause {
  kind?: string;
  originalCode?: string;
  constraint?: { fields?: string[]; index?: string };
}

/**
 * The driver's error inside `error`, or null when the driver raised none. Prisma wraps it
 * as `meta.driverAdapterError.cause`; the transaction manager's commit and rollback throw
 * a bare DriverAdapterError whose `cause` is it. The one place that knows these shapes.
 */
export function pgErrorOf(error: unknown): PgError | null {
  const e = error as { name?: string; cause?: AdapterCause; meta?: { driverAdapterError?: { cause?: AdapterCause } } } | null | undefined;
  const cause = e?.meta?.driverAdapterError?.cause ?? (e?.name === "DriverAdapterError" ? e.cause : undefined);
  if (!cause || typeof cause !== "object") return null;
  return { code: cause.originalCode, kind: cause.kind, constraint: cause.constraint };
}

/** Turns a pg/PGlite connection failure into a one-line, actionable message. */
export function describeConnectionError(url: string | undefined, error: unknown): DatabaseSetupError {
  // pg errors carry `code`; through Prisma, the driver's error is inside (pgErrorOf).
  const driver = pgErrorOf(error);
  const kindToCode: Record<string, string> = {
    DatabaseNotReachable: "ECONNREFUSED",
    DatabaseDoesNotExist: "3D000",
    AuthenticationFailed: "28P01",
  };
  const code = (error as { code?: string })?.code?.match(/^P\d/) ? (driver?.code ?? kindToCode[driver?.kind ?? ""]) : (error as { code?: string })?.code;
  const where = url ? safeUrl(url) : "the embedded database";
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ETIMEDOUT") {
    return new DatabaseSetupError(
      `Cannot reach PostgreSQL at ${where}. Start the server or fix DATABASE_URL; unset DATABASE_URL to use the embedded database.`,
    );
  }
  if (code === "3D000") {
    return new DatabaseSetupError(`The database in DATABASE_URL (${where}) does not exist. Create it (createdb) or fix DATABASE_URL.`);
  }
  if (code === "28P01" || code === "28000") {
    return new DatabaseSetupError(`PostgreSQL at ${where} refused the credentials in DATABASE_URL. Fix the user or password.`);
  }
  return new DatabaseSetupError(`Cannot use the database at ${where}: ${message.split("\n")[0]}`);
}

/** A database URL with the password hidden, for messages and logs. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(malformed URL)";
  }
}

/** Checks DATABASE_URL's shape before anything tries to connect with it. */
export function assertDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseSetupError(
      "DATABASE_URL is not a valid URL. Expected postgresql://USER:PASSWORD@HOST:5432/DATABASE, or unset it to use the embedded database.",
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new DatabaseSetupError(`DATABASE_URL must start with postgresql:// (got ${parsed.protocol}//). Unset it to use the embedded database.`);
  }
  if (!parsed.pathname || parsed.pathname === "/") {
    throw new DatabaseSetupError("DATABASE_URL names no database: add /DATABASE_NAME after the host.");
  }
}
