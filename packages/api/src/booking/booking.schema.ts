import { z } from "zod";
import { contentLocaleSchema } from "../i18n/translated.ts";
import { rawTokenSchema, tokenInputSchema } from "../tickets/tokens.ts";

// Control characters have no business in a name or a note (header injection, log forging).
const singleLine = /^[^\u0000-\u001f\u007f]*$/;
const multiLine = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

const optionalText = (max: number, pattern: RegExp) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(pattern, "Invalid characters")
    .nullish()
    .transform((v) => v || undefined);

/**
 * booking.create input. partySize is bounded loosely here (1..1000) and against
 * MAX_PARTY_SIZE in the service, because that maximum is configuration.
 */
export const createBookingSchema = z
  .object({
    performanceId: z.uuid(),
    name: z.string().trim().min(1, "Name is required").max(200).regex(singleLine, "Invalid characters"),
    email: z.string().trim().toLowerCase().max(254).pipe(z.email("Invalid email address")),
    phone: optionalText(40, /^[+0-9 ()./-]*$/),
    partySize: z.number().int().min(1).max(1000),
    notes: optionalText(1000, multiLine),
    /** The visitor's language for the emails; Italian when absent. */
    locale: z.enum(["it", "en"]).optional(),
  })
  .strict();
export type CreateBookingInput = z.infer<typeof createBookingSchema>;

/**
 * booking.create's input with the party checked against this deployment's MAX_PARTY_SIZE
 * as well, so one answer names every wrong field at once (a form shows them together).
 */
export function createBookingSchemaFor(maxPartySize: number) {
  return createBookingSchema.extend({ partySize: z.number().int().min(1).max(maxPartySize) }).strict();
}

export const confirmBookingSchema = tokenInputSchema;
/** Reading a confirmation link: its texts in the visitor's language (unset: Italian). */
export const describeBookingSchema = z.object({ token: rawTokenSchema, locale: contentLocaleSchema.optional() }).strict();
export type ConfirmBookingInput = z.infer<typeof confirmBookingSchema>;
