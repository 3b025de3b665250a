import { z } from "zod";

/** Sign-in form: email normalised to lower case; the password is bounded so argon2 never hashes megabytes. */
export const loginInputSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(254).pipe(z.email("Enter a valid email address")),
    password: z.string().min(1, "Enter your password").max(512),
  })
  .strict();
export type LoginInput = z.infer<typeof loginInputSchema>;
