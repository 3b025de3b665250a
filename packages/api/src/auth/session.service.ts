import { createHash } from "node:crypto";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import type { PrismaClient } from "@sipario/db";
import { LRUCache } from "lru-cache";
import type { AppConfig } from "../config.ts";
import type { CookieJar, CookieOptions, SessionUser } from "../lib/request.ts";

/**
 * Sessions as the Lucia guide does them (lucia-auth.com/sessions): a random token lives
 * only in the visitor's cookie; the database keeps its SHA-256 (hex) as the session id,
 * so a leaked Session table signs nobody in. Expiry slides: a session used in the second
 * half of its lifetime is extended to a full TTL again.
 */

export const SESSION_COOKIE_NAME = "sipario_session";

const DAY_MS = 86_400_000;

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: Date;
}

export type SessionValidationResult = { session: SessionRecord; user: SessionUser } | { session: null; user: null };

/** 160 random bits from the CSPRNG, base32 (lower case, URL and cookie safe). */
export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** The session id stored in the database for a cookie token. */
export function sessionIdFromToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function sessionTtlMs(config: Pick<AppConfig, "SESSION_TTL_DAYS">): number {
  return config.SESSION_TTL_DAYS * DAY_MS;
}

/** Stores a new session for `userId` under the hash of `token`; the raw token is never stored. */
export async function createSession(prisma: PrismaClient, token: string, userId: string, config: Pick<AppConfig, "SESSION_TTL_DAYS">): Promise<SessionRecord> {
  const session = {
    id: sessionIdFromToken(token),
    userId,
    expiresAt: new Date(Date.now() + sessionTtlMs(config)),
  };
  await prisma.session.create({ data: session });
  return session;
}

/**
 * How long a process reuses a session it has just validated, without reading it again.
 * Every signed-in request used to start with that read: at the door it was half of each
 * scan's statements (docs/performance.md). The price, in docs/security-notes.md: a session
 * ended by another process (logout served by another server, a password reset or a role
 * change in the back-office) still works here for at most this long. Sessions this process
 * ends are forgotten at once.
 */
export const SESSION_REUSE_MS = 10_000;

type ValidSession = { session: SessionRecord; user: SessionUser };
const recentlyValidated = new LRUCache<string, ValidSession>({ max: 10_000, ttl: SESSION_REUSE_MS });

// A cookie value we could have issued: anything else is rejected before touching the database.
const TOKEN_SHAPE = /^[a-z2-7]{16,128}$/;

/**
 * Resolves a cookie token to its session and user. Expired sessions are deleted and
 * answer {session: null, user: null}; a session past half its lifetime is extended.
 * Never throws for a bad token (only for database failures).
 */
export async function validateSessionToken(
  prisma: PrismaClient,
  token: string | null | undefined,
  config: Pick<AppConfig, "SESSION_TTL_DAYS">,
  options: { reuseRecent?: boolean } = {},
): Promise<SessionValidationResult> {
  if (!token || !TOKEN_SHAPE.test(token)) return { session: null, user: null };
  const sessionId = sessionIdFromToken(token);
  if (options.reuseRecent) {
    const recent = recentlyValidated.get(sessionId);
    if (recent && Date.now() < recent.session.expiresAt.getTime()) return recent;
  }
  const valid = await readSession(prisma, sessionId, config);
  if (valid) recentlyValidated.set(sessionId, valid);
  else recentlyValidated.delete(sessionId);
  return valid ?? { session: null, user: null };
}

async function readSession(prisma: PrismaClient, sessionId: string, config: Pick<AppConfig, "SESSION_TTL_DAYS">): Promise<ValidSession | null> {
  // Every signed-in request runs this: one hand-written join rather than Prisma's
  // include, which costs several times the client-side CPU for the same statement
  // (measured in docs/performance.md).
  const [row] = await prisma.$queryRaw<{ id: string; userId: string; expiresAt: Date; email: string; name: string; role: SessionUser["role"] }[]>`
    SELECT s."id", s."userId"::text AS "userId", s."expiresAt", u."email", u."name", u."role"::text AS "role"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."id" = ${sessionId}`;
  if (!row) return null;
  const now = Date.now();
  if (now >= row.expiresAt.getTime()) {
    await prisma.session.deleteMany({ where: { id: sessionId } });
    return null;
  }
  const ttl = sessionTtlMs(config);
  let expiresAt = row.expiresAt;
  if (now >= row.expiresAt.getTime() - ttl / 2) {
    expiresAt = new Date(now + ttl);
    // updateMany: a concurrent logout may have deleted the row; that is not an error.
    await prisma.session.updateMany({ where: { id: sessionId }, data: { expiresAt } });
  }
  // Frozen: one cached value is handed to many requests.
  return Object.freeze({
    session: Object.freeze({ id: row.id, userId: row.userId, expiresAt }),
    user: Object.freeze({ id: row.userId, email: row.email, name: row.name, role: row.role }),
  });
}

/**
 * The session a request's cookie names, for a server handing its cookies over (the site's
 * `event.cookies`): a valid session's cookie is re-issued with its (possibly slid) expiry;
 * an invalid or expired one is deleted so the browser stops sending it. Never throws for a
 * bad cookie (only for database failures).
 */
export async function resumeSession(
  prisma: PrismaClient,
  config: Pick<AppConfig, "SESSION_TTL_DAYS" | "production">,
  cookies: CookieJar,
): Promise<{ user: SessionUser | null; sessionId: string | null }> {
  const token = cookies.get(SESSION_COOKIE_NAME);
  if (!token) return { user: null, sessionId: null };
  // A session validated moments ago is reused (ADR-0020): every signed-in request runs this.
  const { session, user } = await validateSessionToken(prisma, token, config, { reuseRecent: true });
  if (!session || !user) {
    cookies.delete(SESSION_COOKIE_NAME, deleteSessionCookieOptions());
    return { user: null, sessionId: null };
  }
  cookies.set(SESSION_COOKIE_NAME, token, sessionCookieOptions(config, session.expiresAt));
  return { user, sessionId: session.id };
}

/** Deletes one session (logout). Idempotent. */
export async function invalidateSession(prisma: PrismaClient, sessionId: string): Promise<void> {
  recentlyValidated.delete(sessionId);
  await prisma.session.deleteMany({ where: { id: sessionId } });
}

/** Deletes every session of a user (password change, role removal). Idempotent. */
export async function invalidateUserSessions(prisma: PrismaClient, userId: string): Promise<number> {
  for (const [id, valid] of recentlyValidated.entries()) if (valid.user.id === userId) recentlyValidated.delete(id);
  const { count } = await prisma.session.deleteMany({ where: { userId } });
  return count;
}

/** Deletes expired sessions; for the periodic sweep. */
export async function purgeExpiredSessions(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}

/** Cookie attributes of the session cookie: httpOnly, sameSite lax, secure in production. */
export function sessionCookieOptions(config: Pick<AppConfig, "production">, expiresAt: Date): CookieOptions {
  return { path: "/", httpOnly: true, sameSite: "lax", secure: config.production, expires: expiresAt };
}

/** Options to delete the session cookie (path must match the one it was set with). */
export function deleteSessionCookieOptions(): { path: string } {
  return { path: "/" };
}
