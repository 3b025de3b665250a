import { hashPassword, MIN_PASSWORD_LENGTH, type Prisma, type PrismaClient } from "@sipario/db";
import { z } from "zod";
import { recordAudit } from "../audit/audit.service.ts";
import { emailText, lineText, passwordText } from "../lib/text.ts";

/**
 * The one rule for credentials (issue 13, finding 8): a password or role change, through
 * any path (the back-office's user edit, `npm run create-user`, any service), ends every
 * session of that user, in the same transaction as the change:
 * - the site's sessions (Session rows) are deleted;
 * - `User.sessionVersion` is bumped: the back-office re-reads the signed-in admin on every
 *   request and ends a session signed in under an older version (backoffice/src/admin/auth.ts).
 */
export async function endEverySession(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  await tx.session.deleteMany({ where: { userId } });
  await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

/** Ends every session when the password or the role changed; answers whether it did. */
export async function endSessionsOnCredentialChange(
  tx: Prisma.TransactionClient,
  userId: string,
  change: { passwordChanged: boolean; roleBefore: string; roleAfter: string },
): Promise<boolean> {
  if (!change.passwordChanged && change.roleBefore === change.roleAfter) return false;
  await endEverySession(tx, userId);
  return true;
}

export const userAccountSchema = z
  .object({
    email: emailText(),
    password: passwordText().min(MIN_PASSWORD_LENGTH, `the password must have at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
    role: z.enum(["admin", "staff"]),
    name: lineText().max(200).optional(),
  })
  .strict();
export type UserAccountInput = z.input<typeof userAccountSchema>;

/**
 * Creates the user, or sets the password, role (and name, when given) of the one with
 * that email: the operator's `npm run create-user`. An update always sets a password, so
 * it ends every session of the user. Audited. Throws ZodError on bad input.
 */
export async function saveUserAccount(prisma: PrismaClient, input: UserAccountInput, actorLabel = "create-user") {
  const data = userAccountSchema.parse(input);
  const passwordHash = await hashPassword(data.password);
  return prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: data.email }, select: { id: true, role: true, name: true } });
    if (!existing) {
      const user = await tx.user.create({
        data: { email: data.email, name: data.name ?? data.email.split("@")[0]!, role: data.role, passwordHash },
        select: { id: true, email: true, name: true, role: true },
      });
      await recordAudit(tx, {
        userId: null,
        actorLabel,
        action: "create",
        entity: "User",
        entityId: user.id,
        changes: { email: user.email, name: user.name, role: user.role },
      });
      return { user, created: true, sessionsEnded: false };
    }
    const user = await tx.user.update({
      where: { id: existing.id },
      data: { role: data.role, passwordHash, ...(data.name ? { name: data.name } : {}) },
      select: { id: true, email: true, name: true, role: true },
    });
    const sessionsEnded = await endSessionsOnCredentialChange(tx, user.id, { passwordChanged: true, roleBefore: existing.role, roleAfter: user.role });
    const changes: Record<string, unknown> = { passwordChanged: true };
    if (existing.role !== user.role) changes.role = { from: existing.role, to: user.role };
    if (existing.name !== user.name) changes.name = { from: existing.name, to: user.name };
    await recordAudit(tx, { userId: null, actorLabel, action: "edit", entity: "User", entityId: user.id, changes });
    return { user, created: false, sessionsEnded };
  });
}
