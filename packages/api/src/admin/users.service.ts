import { hashPassword, MIN_PASSWORD_LENGTH, type Prisma, type PrismaClient } from "@sipario/db";
import { z } from "zod";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import { endSessionsOnCredentialChange } from "../auth/credentials.service.ts";
import { DomainError } from "../errors.ts";
import { emailText, lineText, passwordText } from "../lib/text.ts";

const email = emailText();
const password = passwordText().min(MIN_PASSWORD_LENGTH, `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`).max(200);

export const adminUserCreateSchema = z.object({ email, name: lineText().max(200).default(""), role: z.enum(["admin", "staff"]), password }).strict();
export const adminUserUpdateSchema = z
  .object({
    email: email.optional(),
    name: lineText().max(200).optional(),
    role: z.enum(["admin", "staff"]).optional(),
    // Empty means "keep the current password" (the edit form leaves it blank).
    password: z.union([z.literal(""), password]).optional(),
  })
  .strict();
export type AdminUserCreate = z.input<typeof adminUserCreateSchema>;
export type AdminUserUpdate = z.input<typeof adminUserUpdateSchema>;

const publicUser = { id: true, email: true, name: true, role: true, createdAt: true, updatedAt: true } as const;

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new DomainError("invalid_input", issue.message, { field: issue.path.join(".") });
  }
  return result.data;
}

/** Answers the admins' ids, locked for the transaction; injectable for the race test's control run. */
export type AdminLocker = (tx: Prisma.TransactionClient) => Promise<string[]>;

/**
 * Locks every admin row, so two admins demoting each other at once cannot both succeed.
 * The race test's control run injects testing/unsafe-admin.ts's unlocked read instead.
 */
export const lockAdmins: AdminLocker = async (tx) => {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id"::text AS "id" FROM "User" WHERE "role" = 'admin' FOR UPDATE`;
  return rows.map((r) => r.id);
};

async function assertEmailFree(tx: Prisma.TransactionClient, address: string, exceptId?: string) {
  const other = await tx.user.findUnique({ where: { email: address }, select: { id: true } });
  if (other && other.id !== exceptId) throw new DomainError("invalid_input", "Another user already has this email.", { field: "email" });
}

/**
 * Creates a back-office or door user; the password is stored only as an argon2 hash.
 * Throws DomainError invalid_input (bad fields, email taken, with `field` in details).
 */
export async function createUserAsAdmin(prisma: PrismaClient, input: unknown, actor: Actor) {
  const data = parse(adminUserCreateSchema, input);
  const passwordHash = await hashPassword(data.password);
  return prisma.$transaction(async (tx) => {
    await assertEmailFree(tx, data.email);
    const user = await tx.user.create({
      data: { email: data.email, name: data.name || data.email.split("@")[0]!, role: data.role, passwordHash },
      select: publicUser,
    });
    await recordAudit(tx, {
      ...actorAudit(actor),
      action: "create",
      entity: "User",
      entityId: user.id,
      changes: { email: user.email, name: user.name, role: user.role },
    });
    return user;
  });
}

/**
 * Edits a user. Invariants: at least one admin always remains (demoting the last one
 * throws DomainError last_admin); a new password or role ends every session of the user
 * (credentials.service.ts). A blank password keeps the current one.
 * Throws DomainError not_found, invalid_input, last_admin.
 */
export async function updateUserAsAdmin(prisma: PrismaClient, userId: string, input: unknown, actor: Actor, options: { lock?: AdminLocker } = {}) {
  const data = parse(adminUserUpdateSchema, input);
  const passwordHash = data.password ? await hashPassword(data.password) : undefined;
  const lock = options.lock ?? lockAdmins;
  return prisma.$transaction(async (tx) => {
    const admins = await lock(tx);
    const current = await tx.user.findUnique({ where: { id: userId }, select: publicUser }).catch(() => null);
    if (!current) throw new DomainError("not_found", "User not found.");
    if (current.role === "admin" && data.role === "staff" && admins.length <= 1) {
      throw new DomainError("last_admin", "This is the last admin: make another user admin before changing this one's role.", {
        field: "role",
      });
    }
    if (data.email) await assertEmailFree(tx, data.email, userId);
    const user = await tx.user.update({
      where: { id: userId },
      data: {
        ...(data.email ? { email: data.email } : {}),
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.role ? { role: data.role } : {}),
        ...(passwordHash ? { passwordHash } : {}),
      },
      select: publicUser,
    });
    const changes: Record<string, unknown> = {};
    for (const key of ["email", "name", "role"] as const) {
      if (current[key] !== user[key]) changes[key] = { from: current[key], to: user[key] };
    }
    if (passwordHash) changes.passwordChanged = true;
    await endSessionsOnCredentialChange(tx, userId, { passwordChanged: passwordHash !== undefined, roleBefore: current.role, roleAfter: user.role });
    await recordAudit(tx, { ...actorAudit(actor), action: "edit", entity: "User", entityId: userId, changes });
    return user;
  });
}

/**
 * Deletes a user. Invariant: the last admin cannot be deleted (DomainError last_admin);
 * a user who recorded check-ins is kept for the record (invalid_input).
 * Throws DomainError not_found, last_admin, invalid_input.
 */
export async function deleteUserAsAdmin(prisma: PrismaClient, userId: string, actor: Actor) {
  return prisma.$transaction(async (tx) => {
    const admins = await lockAdmins(tx);
    const current = await tx.user.findUnique({ where: { id: userId }, select: publicUser }).catch(() => null);
    if (!current) throw new DomainError("not_found", "User not found.");
    if (current.role === "admin" && admins.length <= 1) {
      throw new DomainError("last_admin", "This is the last admin and cannot be deleted.");
    }
    const checkIns = await tx.checkIn.count({ where: { checkedInById: userId } });
    if (checkIns > 0) {
      throw new DomainError("invalid_input", `This user recorded ${checkIns} check-ins, which must keep their author: change the password or role instead.`);
    }
    await tx.user.delete({ where: { id: userId } });
    await recordAudit(tx, {
      ...actorAudit(actor),
      // A user who deletes themselves leaves no dangling reference.
      ...(actor.userId === userId ? { userId: null } : {}),
      action: "delete",
      entity: "User",
      entityId: userId,
      changes: { email: current.email, name: current.name, role: current.role },
    });
    return current;
  });
}

/** The languages the back-office speaks. */
export const ADMIN_LOCALES = ["it", "en"] as const;
export const adminLocaleSchema = z.enum(ADMIN_LOCALES);
export type AdminLocale = z.output<typeof adminLocaleSchema>;

/**
 * Stores the back-office language a user chose, so it follows them to any browser.
 * Throws DomainError invalid_input for anything but it/en. Not audited: a preference.
 */
export async function setAdminLocale(prisma: PrismaClient, userId: string, input: unknown): Promise<AdminLocale> {
  const locale = parse(adminLocaleSchema, input);
  await prisma.user.update({ where: { id: userId }, data: { adminLocale: locale }, select: { id: true } });
  return locale;
}
