import { SESSION_COOKIE_NAME, sessionCookieOptions, validateSessionToken, type AppConfig, type SessionUser } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import type { Cookies } from "@sveltejs/kit";

/**
 * Resolves the session cookie. A valid session's cookie is re-issued with its (possibly
 * slid) expiry; an invalid one is deleted so the browser stops sending it.
 */
export async function resolveSession(
  prisma: PrismaClient,
  config: AppConfig,
  cookies: Cookies,
): Promise<{ user: SessionUser | null; sessionId: string | null }> {
  const token = cookies.get(SESSION_COOKIE_NAME);
  if (!token) return { user: null, sessionId: null };
  const { session, user } = await validateSessionToken(prisma, token, config, { reuseRecent: true });
  if (!session || !user) {
    cookies.delete(SESSION_COOKIE_NAME, { path: "/" });
    return { user: null, sessionId: null };
  }
  cookies.set(SESSION_COOKIE_NAME, token, sessionCookieOptions(config, session.expiresAt));
  return { user, sessionId: session.id };
}
