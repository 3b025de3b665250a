import { z } from "zod";
import { createBookingSchema } from "../booking/booking.schema.ts";
import { contentLocaleSchema } from "../i18n/translated.ts";
import { rawTokenSchema, tokenInputSchema } from "../lib/tokens.ts";

/** waitlist.join: the booking form's contact fields and party size, no notes. Strict. */
export const joinWaitlistSchema = createBookingSchema.omit({ notes: true }).strict();
export type JoinWaitlistInput = z.infer<typeof joinWaitlistSchema>;

/** waitlist.confirm / status / leave: the token from a waiting-list email. */
export const waitlistTokenSchema = tokenInputSchema;
/** Reading an entry's page: its texts in the visitor's language (unset: Italian). */
export const waitlistStatusSchema = z.object({ token: rawTokenSchema, locale: contentLocaleSchema.optional() }).strict();

/** Back-office: move an entry one place up or down in its queue. */
export const moveEntrySchema = z.object({ entryId: z.uuid(), direction: z.enum(["up", "down"]) }).strict();
