import { z } from "zod";
import { emailText, lineText, multiLineText } from "../lib/text.ts";
import { tokenInputSchema } from "../tickets/tokens.ts";

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

export const confirmBookingSchema = tokenInputSchema;
export type ConfirmBookingInput = z.infer<typeof confirmBookingSchema>;
