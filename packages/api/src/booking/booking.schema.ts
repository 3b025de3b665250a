import { z } from "zod";
import { contentLocaleSchema } from "../i18n/translated.ts";
import { emailText, lineText, multiLineText } from "../lib/text.ts";
import { rawTokenSchema, tokenInputSchema } from "../lib/tokens.ts";

/** An optional field: empty or null becomes undefined. */
export const optionalText = (text: z.ZodString) => text.nullish().transform((v) => v || undefined);
export const PHONE_PATTERN = /^[+0-9 ()./-]*$/;

/**
 * booking.create input. partySize is bounded loosely here (1..1000) and against
 * MAX_PARTY_SIZE in the service, because that maximum is configuration.
 */
export const createBookingSchema = z
  .object({
    performanceId: z.uuid(),
    name: lineText().min(1, "Name is required").max(200),
    email: emailText(),
    phone: optionalText(lineText().max(40).regex(PHONE_PATTERN, "Invalid characters")),
    partySize: z.number().int().min(1).max(1000),
    notes: optionalText(multiLineText().max(1000)),
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

/**
 * The signed value of the sipario_booked cookie (booked-cookie.ts) that names the booking
 * this browser just made; its signature is checked by the service.
 */
const receiptSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+$/, "Malformed receipt");
/** booking.summary: the "check your email" page, in the visitor's language. */
export const bookingSummarySchema = z.object({ receipt: receiptSchema, locale: contentLocaleSchema.optional() }).strict();
/** booking.resend: a new confirmation link for that booking. */
export const resendConfirmationSchema = z.object({ receipt: receiptSchema }).strict();
