import { dummyPasswordHash, verifyPassword, type PrismaClient, type UserRole } from "@sipario/db";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { getLogger } from "../logger.ts";
import { holdRateLimits, personKey, RATE_LIMITS } from "../rate-limit/rate-limit.service.ts";
import { verifyDeviceCookie } from "./device-cookie.ts";
import type { SessionUser } from "../lib/request.ts";

/**
 * Checks an email and password. Invariant: an unknown email and a wrong password are
 * indistinguishable (same reason `invalid_credentials`, and an argon2 verification runs
 * in both cases so the timing matches).
 *
 * Only FAILED attempts count (issue 13, finding 4): a lock is a defence against guessing,
 * and a door account shared by six phones must sign in six times. Failures are counted
 * per (account, address), per address across accounts, and per account; the last one
 * is skipped for a client holding a device cookie for this account (device-cookie.ts),
 * which instead has its own small failure budget. A refused attempt never counts, so it
 * cannot extend a lock. Throws DomainError rate_limited, invalid_credentials, or
 * forbidden when `requireRole` is given and the (correctly authenticated) user lacks it.
 */
export async function authenticateUser(
  prisma: PrismaClient,
  email: string,
  password: string,
  clientAddress: string,
  config: Pick<AppConfig, "RATE_LIMITS" | "sessionSecret">,
  options: { requireRole?: UserRole; deviceCookie?: string | null } = {},
): Promise<SessionUser> {
  const normalised = email.trim().toLowerCase();
  const account = personKey(normalised);
  const device = verifyDeviceCookie(options.deviceCookie, normalised, config.sessionSecret);
  const checks = device
    ? [{ key: `login:device:${device}`, rule: RATE_LIMITS.loginFailuresPerDevice }]
    : [
        { key: `login:acct-addr:${account}:${clientAddress}`, rule: RATE_LIMITS.loginFailuresPerAccountAddress },
        { key: `login:addr:${clientAddress}`, rule: RATE_LIMITS.loginFailuresPerAddress },
        { key: `login:acct:${account}`, rule: RATE_LIMITS.loginFailuresPerAccount },
      ];
  const attempt = await holdRateLimits(prisma, config.RATE_LIMITS, checks);
  const user = await prisma.user.findUnique({
    where: { email: normalised },
    select: { id: true, email: true, name: true, role: true, passwordHash: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !valid) {
    getLogger().info({ event: "login_failed", trustedDevice: Boolean(device) }, "sign-in refused");
    throw new DomainError("invalid_credentials", "Email or password is not correct.");
  }
  await attempt.release();
  if (options.requireRole && user.role !== options.requireRole) {
    throw new DomainError("forbidden", "This account cannot sign in here.");
  }
  getLogger().info({ event: "login", userId: user.id }, "signed in");
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
