import type { PrismaClient, UserRole } from "@prisma/client";
import { z } from "zod";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./passwords.ts";

export const userInputSchema = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
    password: z.string().min(MIN_PASSWORD_LENGTH, `password must have at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
    role: z.enum(["admin", "staff"]),
    name: z.string().trim().max(200).optional(),
  })
  .strict();
export type UserInput = z.input<typeof userInputSchema>;

/** Creates the user, or updates the password, role and name of an existing one. */
export async function upsertUser(prisma: PrismaClient, input: UserInput) {
  const data = userInputSchema.parse(input);
  const passwordHash = await hashPassword(data.password);
  const name = data.name ?? data.email.split("@")[0]!;
  const existing = await prisma.user.findUnique({ where: { email: data.email } });
  const user = await prisma.user.upsert({
    where: { email: data.email },
    create: { email: data.email, name, role: data.role as UserRole, passwordHash },
    update: { role: data.role as UserRole, passwordHash, ...(data.name ? { name: data.name } : {}) },
    select: { id: true, email: true, name: true, role: true },
  });
  return { user, created: !existing };
}
