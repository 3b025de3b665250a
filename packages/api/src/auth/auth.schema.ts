import { z } from "zod";
import { emailText, passwordText } from "../lib/text.ts";

/** Sign-in form: email normalised to lower case; the password is bounded so argon2 never hashes megabytes. */
export const loginInputSchema = z
  .object({
    email: emailText("Enter a valid email address"),
    password: passwordText().min(1, "Enter your password"),
  })
  .strict();
export type LoginInput = z.infer<typeof loginInputSchema>;
