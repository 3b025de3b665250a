export { PrismaClient, Prisma } from "@prisma/client";
export type {
  CheckIn,
  EmailOutbox,
  Page,
  Performance,
  Reservation,
  ReservationStatus,
  ReservationToken,
  Session,
  Show,
  User,
  UserRole,
  Venue,
} from "@prisma/client";
export { closeDatabase, getDatabase, openDatabase, setDatabase, type Database, type DatabaseOptions } from "./client.ts";
export { assertDatabaseUrl, DatabaseSetupError, describeConnectionError, pgErrorOf, safeUrl, type PgError } from "./errors.ts";
export { applyMigrations, listMigrations, MigrationError, pendingMigrations } from "./migrate.ts";
export { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./passwords.ts";
export { dataDir, repoRoot } from "./paths.ts";
export { ensureDemoUsers, seed, type DemoCredentials } from "./seed.ts";
export type { SqlSession } from "./sql.ts";
export { runCli, UsageError } from "./cli/run-cli.ts";
