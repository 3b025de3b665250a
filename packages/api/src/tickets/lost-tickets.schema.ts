import { z } from "zod";
import { contentLocaleSchema } from "../i18n/translated.ts";
import { emailText } from "../lib/text.ts";

/** tickets.lost: the address the bookings were made with, and the language of the email. */
export const lostTicketsSchema = z
  .object({
    email: emailText(),
    locale: contentLocaleSchema.optional(),
  })
  .strict();
export type LostTicketsInput = z.infer<typeof lostTicketsSchema>;
