import { z } from "zod";
import { lineText } from "../lib/text.ts";

const seats = z
  .number({ error: "Enter a whole number of seats (0 or more)." })
  .int("Enter a whole number of seats (0 or more).")
  .min(0, "Enter a whole number of seats (0 or more).")
  .max(100_000, "At most 100000 seats.");
const instant = z.date({ error: "Enter a valid date and time." }).refine((d) => !Number.isNaN(d.getTime()), "Enter a valid date and time.");
const note = lineText().max(300);

/**
 * Every field an admin sets on a performance (the back-office form, scripts). Null clears
 * an optional one (an on-sale bound, the surtitles); the status and cancellation have
 * their own services (cancelPerformance).
 */
const performanceFields = z
  .object({
    showId: z.uuid("Choose the show."),
    venueId: z.uuid("Choose the venue."),
    startsAt: instant,
    roomCapacity: seats,
    additionalSeats: seats,
    manuallyOccupiedSeats: seats,
    isBookingEnabled: z.boolean(),
    bookingOpensAt: instant.nullable(),
    bookingClosesAt: instant.nullable(),
    surtitles: lineText()
      .toLowerCase()
      .regex(/^([a-z]{2,3})?$/, "Surtitles: a language code such as en, or empty.")
      .transform((v) => v || null)
      .nullable(),
    note,
    noteEn: note,
  })
  .strict();

/** A new performance: show, venue, start and room seats; the rest has defaults (booking on). */
export const createPerformanceSchema = performanceFields
  .partial()
  .required({ showId: true, venueId: true, startsAt: true, roomCapacity: true })
  .extend({
    additionalSeats: seats.default(0),
    manuallyOccupiedSeats: seats.default(0),
    isBookingEnabled: z.boolean().default(true),
  });
export type CreatePerformanceInput = z.input<typeof createPerformanceSchema>;

/** A change: only the fields given change. */
export const updatePerformanceSchema = performanceFields.partial();
export type UpdatePerformanceInput = z.input<typeof updatePerformanceSchema>;
