import { z } from "zod";
import { contentLocaleSchema } from "../i18n/translated.ts";

/** tickets.lost: the address the bookings were made with, and the language of the email. */
export const lostTicketsSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(254).pipe(z.email("Invalid email address")),
    locale: contentLocaleSchema.optional(),
  })
  .strict();
export type LostTicketsInput = z.infer<typeof lostTicketsSchema>;
