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

const localDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Write dates as YYYY-MM-DD");
const localTime = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Write times as HH:MM");

/**
 * A run of performances: one show and venue, the same seats, on a list of local dates and
 * times ("2027-01-12 21:00") and/or every chosen weekday (1 Monday … 7 Sunday) at one time
 * between two dates, in the venue's time zone.
 */
export const performanceRunSchema = z
  .object({
    showId: z.uuid(),
    venueId: z.uuid(),
    roomCapacity: z.number().int().min(0).max(100_000),
    additionalSeats: z.number().int().min(0).max(100_000).default(0),
    isBookingEnabled: z.boolean().default(true),
    dates: z
      .array(
        z
          .string()
          .trim()
          .regex(/^\d{4}-\d{2}-\d{2}[ T]([01]\d|2[0-3]):[0-5]\d$/, "Write each date as YYYY-MM-DD HH:MM"),
      )
      .max(366)
      .default([]),
    every: z
      .object({ from: localDate, to: localDate, weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7), time: localTime })
      .strict()
      .optional(),
  })
  .strict()
  .refine((v) => v.dates.length > 0 || v.every !== undefined, { message: "Give the dates, or the weekdays with a first and last date", path: ["dates"] });
export type PerformanceRunInput = z.input<typeof performanceRunSchema>;
