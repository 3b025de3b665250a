import { z } from "zod";
import { optionalText, PHONE_PATTERN } from "../booking/booking.schema.ts";
import { lineText, multiLineText } from "../lib/text.ts";

/**
 * A box-office booking (AdminJS "new" on Reservation, scripts): a named person, the email
 * optional (a walk-in, a phone call). The language picks the ticket email's words.
 */
export const boxOfficeBookingSchema = z
  .object({
    performanceId: z.uuid("Choose a performance"),
    name: lineText().min(1, "Name is required").max(200),
    partySize: z.number().int().min(1, "At least 1").max(1000),
    email: lineText()
      .toLowerCase()
      .max(254)
      .nullish()
      .transform((v) => v || undefined)
      .pipe(z.email("Invalid email address").optional()),
    phone: optionalText(lineText().max(40).regex(PHONE_PATTERN, "Invalid characters")),
    notes: optionalText(multiLineText().max(1000)),
    locale: z.enum(["it", "en"]).default("it"),
  })
  .strict();
export type BoxOfficeBookingInput = z.input<typeof boxOfficeBookingSchema>;

/** Changing a confirmed reservation: a new party size, another performance, or both. */
export const reservationChangeSchema = z
  .object({
    partySize: z.number().int().min(1).max(1000).optional(),
    performanceId: z.uuid().optional(),
  })
  .strict()
  .refine((v) => v.partySize !== undefined || v.performanceId !== undefined, "Nothing to change");
export type ReservationChange = z.infer<typeof reservationChangeSchema>;
