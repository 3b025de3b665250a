import { z } from "zod";
import { contentLocaleSchema } from "../i18n/translated.ts";
import { rawTokenSchema } from "../lib/tokens.ts";

export { tokenInputSchema as ticketInputSchema, type TokenInput as TicketInput } from "../lib/tokens.ts";

/** Reading a ticket: its texts in the visitor's language (unset: Italian). */
export const ticketReadInputSchema = z.object({ token: rawTokenSchema, locale: contentLocaleSchema.optional() }).strict();
