import { publicProcedure, router } from "../trpc.ts";
import { loginInputSchema } from "./auth.schema.ts";
import { authenticateUser } from "./auth.service.ts";
import { DEVICE_COOKIE_NAME, deviceCookieOptions, issueDeviceCookie } from "./device-cookie.ts";
import {
  createSession,
  deleteSessionCookieOptions,
  generateSessionToken,
  invalidateSession,
  SESSION_COOKIE_NAME,
  sessionCookieOptions,
} from "./session.service.ts";

export const authRouter = router({
  login: publicProcedure.input(loginInputSchema).mutation(async ({ ctx, input }) => {
    const user = await authenticateUser(ctx.prisma, input.email, input.password, ctx.clientAddress, ctx.config, {
      deviceCookie: ctx.cookies.get(DEVICE_COOKIE_NAME),
    });
    // A fresh session on every sign-in: a session id planted before login is never upgraded.
    if (ctx.sessionId) await invalidateSession(ctx.prisma, ctx.sessionId);
    const token = generateSessionToken();
    const session = await createSession(ctx.prisma, token, user.id, ctx.config);
    ctx.cookies.set(SESSION_COOKIE_NAME, token, sessionCookieOptions(ctx.config, session.expiresAt));
    // This browser has now proved it knows the password: strangers' failures no longer lock it out.
    ctx.cookies.set(DEVICE_COOKIE_NAME, issueDeviceCookie(user.email, ctx.config.sessionSecret), deviceCookieOptions(ctx.config));
    return { user: { id: user.id, name: user.name, email: user.email, role: user.role } };
  }),

  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionId) await invalidateSession(ctx.prisma, ctx.sessionId);
    ctx.cookies.delete(SESSION_COOKIE_NAME, deleteSessionCookieOptions());
    return { ok: true as const };
  }),

  me: publicProcedure.query(({ ctx }) => ({
    user: ctx.user ? { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email, role: ctx.user.role } : null,
  })),
});
