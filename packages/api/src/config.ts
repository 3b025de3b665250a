import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { dataDir } from "@sipario/db";
import { z } from "zod";

/**
 * All configuration, read from the environment and validated once at start.
 * A bad value stops the process with one line naming the variable (ConfigError).
 */

const bool = z.enum(["1", "0", "true", "false", "yes", "no"]).transform((v) => v === "1" || v === "true" || v === "yes");
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default("AzioneLab <biglietteria@azionelab.example>"),
  // Unset: http://localhost:<PORT>, so a changed PORT still gives working email links.
  ORIGIN: z
    .string()
    .url()
    .optional()
    .transform((v) => v?.replace(/\/+$/, "")),
  PORT: port(3000),
  BACKOFFICE_PORT: port(3001),
  BACKOFFICE_ORIGIN: z.string().url().optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** adapter-node's own variables (it reads them for the site): where the visitor's address is behind a proxy. */
  ADDRESS_HEADER: z.string().optional(),
  XFF_DEPTH: positiveInt(1),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TIME_ZONE: z.string().default("Europe/Rome"),
  MAX_PARTY_SIZE: positiveInt(10),
  /** Confirmed seats one email may hold at one performance (unset: MAX_PARTY_SIZE). The box office may exceed it. */
  MAX_SEATS_PER_EMAIL: z.coerce.number().int().positive().optional(),
  CONFIRMATION_TOKEN_TTL_HOURS: positiveInt(24),
  /** How long a waiting-list offer holds its seats; fractions allowed (tests use seconds). */
  WAITLIST_OFFER_MINUTES: z.coerce
    .number()
    .positive()
    .max(60 * 24 * 30)
    .default(720),
  /** Ticket tokens stay valid until this many hours after the performance day ends. */
  TICKET_GRACE_HOURS: z.coerce.number().int().min(0).default(0),
  SESSION_TTL_DAYS: positiveInt(30),
  RETENTION_DAYS: positiveInt(90),
  BACKGROUND_JOBS: bool.default(true),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  RATE_LIMITS: bool.default(true),
  /** Outbox: sends tried before a message is marked failed, and the first retry delay (doubles each time). */
  MAIL_MAX_ATTEMPTS: positiveInt(8),
  MAIL_RETRY_BASE_SECONDS: positiveInt(30),
  /** Background job periods (outbox delivery, pending-expiry sweep). */
  OUTBOX_POLL_SECONDS: positiveInt(10),
  SWEEP_INTERVAL_SECONDS: positiveInt(60),
  /** How long public catalogue reads are reused within one process (0 = off); see lib/public-read-cache.ts. */
  PUBLIC_READ_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  // Where uploaded posters are kept (a volume in compose); unset: .data/posters.
  POSTER_DIR: z.string().optional(),
});

export type AppConfig = Omit<z.output<typeof envSchema>, "ORIGIN" | "MAX_SEATS_PER_EMAIL"> & {
  MAX_SEATS_PER_EMAIL: number;
  /** The public origin, without a trailing slash. */
  ORIGIN: string;
  production: boolean;
  sessionSecret: string;
  backofficeOrigin: string;
  /** POSTER_DIR, absolute. */
  posterDir: string;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const cfg = parsed.data;
  const production = cfg.NODE_ENV === "production";
  if (production && !cfg.SESSION_SECRET) {
    throw new ConfigError("Invalid configuration: SESSION_SECRET is required when NODE_ENV=production (generate one with: openssl rand -base64 48)");
  }
  if (production && !env.ORIGIN) {
    throw new ConfigError("Invalid configuration: ORIGIN is required when NODE_ENV=production (the public https:// address of the site)");
  }
  const backofficeOrigin = cfg.BACKOFFICE_ORIGIN?.replace(/\/+$/, "") ?? `http://${cfg.HOST === "0.0.0.0" ? "localhost" : cfg.HOST}:${cfg.BACKOFFICE_PORT}`;
  const ORIGIN = cfg.ORIGIN ?? `http://localhost:${cfg.PORT}`;
  const MAX_SEATS_PER_EMAIL = cfg.MAX_SEATS_PER_EMAIL ?? cfg.MAX_PARTY_SIZE;
  return {
    ...cfg,
    ORIGIN,
    MAX_SEATS_PER_EMAIL,
    production,
    sessionSecret: cfg.SESSION_SECRET ?? developmentSecret(),
    backofficeOrigin,
    posterDir: resolve(cfg.POSTER_DIR ?? join(dataDir(), "posters")),
  };
}

/** Outside production, a secret generated once and kept under .data/, never committed. */
function developmentSecret(): string {
  const file = join(dataDir(), "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir(), { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

let cached: AppConfig | undefined;
/** The process-wide configuration, validated on first use. */
export function getConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
/** Tests override single values. */
export function setConfig(config: AppConfig): void {
  cached = config;
}
