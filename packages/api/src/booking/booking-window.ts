import { DomainError } from "../errors.ts";

/**
 * A performance's on-sale window, in one place: booking.create, booking.confirm, the
 * catalogue, the waiting list and the site all ask here whether a performance takes
 * bookings now.
 */
export interface BookingWindowFacts {
  startsAt: Date;
  status: "scheduled" | "cancelled";
  isBookingEnabled: boolean;
  bookingOpensAt: Date | null;
  bookingClosesAt: Date | null;
}

export type BookingState = "open" | "not_open_yet" | "closed" | "cancelled";

/** When online booking stops: the configured closing time, else the curtain. */
export function bookingClosesAtOf(p: Pick<BookingWindowFacts, "startsAt" | "bookingClosesAt">): Date {
  return p.bookingClosesAt ?? p.startsAt;
}

/** Whether the performance takes online bookings at `now`, and if not, why. */
export function bookingStateOf(p: BookingWindowFacts, now: Date): BookingState {
  if (p.status === "cancelled") return "cancelled";
  const t = now.getTime();
  if (!p.isBookingEnabled || t >= bookingClosesAtOf(p).getTime() || t >= p.startsAt.getTime()) return "closed";
  if (p.bookingOpensAt && t < p.bookingOpensAt.getTime()) return "not_open_yet";
  return "open";
}

/**
 * Throws booking_not_open_yet (with `opensAt`) before the window opens, booking_closed
 * after it closes, when booking is switched off or the performance is cancelled.
 */
export function assertBookingOpen(p: BookingWindowFacts, now: Date): void {
  const state = bookingStateOf(p, now);
  if (state === "open") return;
  if (state === "not_open_yet") {
    throw new DomainError("booking_not_open_yet", "Booking for this performance has not opened yet.", {
      opensAt: p.bookingOpensAt!.toISOString(),
    });
  }
  throw new DomainError("booking_closed", state === "cancelled" ? "This performance has been cancelled." : "Booking is closed for this performance.");
}

/**
 * The next instant after `now` at which this performance's booking state changes by
 * itself (opening, closing, curtain), or null. Caches of public pages must not outlive it.
 */
export function nextBookingTransition(p: BookingWindowFacts, now: Date): Date | null {
  const t = now.getTime();
  const instants = [p.bookingOpensAt, p.bookingClosesAt, p.startsAt].filter((d): d is Date => d !== null && d.getTime() > t);
  if (instants.length === 0) return null;
  return new Date(Math.min(...instants.map((d) => d.getTime())));
}

/**
 * The fields the catalogue shows about a performance's on-sale state (CONTRACT "Season
 * operations"), with `bookingState` so the site words "opens on …" / closed / cancelled
 * without restating this rule.
 */
export function publicBookingFields(p: BookingWindowFacts, now: Date) {
  const bookingState = bookingStateOf(p, now);
  return {
    status: p.status,
    bookingOpensAt: p.bookingOpensAt?.toISOString() ?? null,
    bookingClosesAt: bookingClosesAtOf(p).toISOString(),
    bookingEnabled: bookingState === "open",
    bookingState,
  };
}

export const bookingWindowSelect = {
  startsAt: true,
  status: true,
  isBookingEnabled: true,
  bookingOpensAt: true,
  bookingClosesAt: true,
} as const;

/**
 * An on-sale window an admin may set: opening before closing, both before the curtain
 * (booking closes at the curtain anyway). Null clears a bound. Throws invalid_input with
 * the field to blame.
 */
export function assertValidBookingWindow(startsAt: Date, opensAt: Date | null, closesAt: Date | null): void {
  if (closesAt && closesAt.getTime() > startsAt.getTime()) {
    throw new DomainError("invalid_input", "Booking cannot close after the performance starts.", { field: "bookingClosesAt" });
  }
  if (opensAt && opensAt.getTime() >= bookingClosesAtOf({ startsAt, bookingClosesAt: closesAt }).getTime()) {
    throw new DomainError("invalid_input", "Booking must open before it closes (and before the performance starts).", { field: "bookingOpensAt" });
  }
}
