import { dummyPasswordHash, verifyPassword, type PrismaClient, type UserRole } from "@sipario/db";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { getLogger } from "../logger.ts";
import { consumeRateLimits, RATE_LIMITS } from "../rate-limit/rate-limit.service.ts";
import type { SessionUser } from "../trpc.ts";

/**
 * Checks an email and password. Invariant: an unknown email and a wrong password are
 * indistinguishable (same reason `invalid_credentials`, and an argon2 verification runs
 * in both cases so the timing matches). Every attempt counts against the caller's address
 * and the account's email, checked before any password work.
 * Throws DomainError rate_limited, invalid_credentials, or forbidden when `requireRole`
 * is given and the (correctly authenticated) user lacks it.
 */
export async function authenticateUser(
  prisma: PrismaClient,
  email: string,
  password: string,
  clientAddress: string,
  config: Pick<AppConfig, "RATE_LIMITS">,
  options: { requireRole?: UserRole } = {},
): Promise<SessionUser> {
  const normalised = email.trim().toLowerCase();
  await consumeRateLimits(prisma, config.RATE_LIMITS, [
    { key: `login:addr:${clientAddress}`, rule: RATE_LIMITS.loginPerAddress },
    { key: `login:acct:${normalised}`, rule: RATE_LIMITS.loginPerAccount },
  ]);
  const user = await prisma.user.findUnique({
    where: { email: normalised },
    select: { id: true, email: true, name: true, role: true, passwordHash: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !valid) {
    getLogger().info({ event: "login_failed" }, "sign-in refused");
    throw new DomainError("invalid_credentials", "Email or password is not correct.");
  }
  if (options.requireRole && user.role !== options.requireRole) {
    throw new DomainError("forbidden", "This account cannot sign in here.");
  }
  getLogger().info({ event: "login", userId: user.id }, "signed in");
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
