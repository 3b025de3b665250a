import { z } from "zod";

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
 * A box-office booking (AdminJS "new" on Reservation, scripts): a named person, the email
 * optional (a walk-in, a phone call). The language picks the ticket email's words.
 */
export const boxOfficeBookingSchema = z
  .object({
    performanceId: z.uuid("Choose a performance"),
    name: z.string().trim().min(1, "Name is required").max(200).regex(singleLine, "Invalid characters"),
    partySize: z.number().int().min(1, "At least 1").max(1000),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(254)
      .nullish()
      .transform((v) => v || undefined)
      .pipe(z.email("Invalid email address").optional()),
    phone: optionalText(40, /^[+0-9 ().\/-]*$/),
    notes: optionalText(1000, multiLine),
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
