import type { Prisma } from "@sipario/db";

/**
 * Time-zone arithmetic with Intl only: the venue's wall clock decides "the day of the
 * performance", whatever the server's own zone.
 */

// Building an Intl.DateTimeFormat costs far more than using one, and every scan at the
// door and every ticket email asks for them: one per zone (a theatre has a handful).
const MAX_CACHED_ZONES = 200;
function perZone<T>(build: (timeZone: string) => T): (timeZone: string) => T {
  const cache = new Map<string, T>();
  return (timeZone) => {
    let value = cache.get(timeZone);
    if (value === undefined) {
      value = build(timeZone);
      if (cache.size < MAX_CACHED_ZONES) cache.set(timeZone, value);
    }
    return value;
  };
}

const wallClockFormat = perZone(
  (timeZone) =>
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }),
);
const calendarDateFormat = perZone((timeZone) => new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }));
const zoneIsValid = perZone((timeZone) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
});

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = wallClockFormat(timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant's wall-clock time in `timeZone`, expressed as the same digits in UTC: for
 * formats without zones (a spreadsheet cell) that should read as local time.
 */
export function wallClockAsUtc(instant: Date, timeZone: string): Date {
  return new Date(instant.getTime() + zoneOffsetMs(instant, timeZone));
}

/** The instant at which the wall clock in `timeZone` reads this date and time (month 1-12). */
export function instantOfWallClock(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute, 0);
  // Two passes settle the offset across a DST change.
  let guess = wall - zoneOffsetMs(new Date(wall), timeZone);
  guess = wall - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** The local calendar date (y, m 1-12, d) of an instant in a zone. */
export function localDate(instant: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = calendarDateFormat(timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day") };
}

/** The instant of local midnight that ends the performance's day in `timeZone`. */
export function endOfLocalDay(instant: Date, timeZone: string): Date {
  const { year, month, day } = localDate(instant, timeZone);
  const wallMidnight = Date.UTC(year, month - 1, day + 1, 0, 0, 0);
  // Two passes settle the offset across a DST change.
  let guess = wallMidnight - zoneOffsetMs(new Date(wallMidnight), timeZone);
  guess = wallMidnight - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** Start and end (exclusive) of the local calendar day containing `now` in `timeZone`. */
export function dayBounds(now: Date, timeZone: string): { start: Date; end: Date } {
  const end = endOfLocalDay(now, timeZone);
  // 36 hours before the day's end is always inside the previous day (days last 23-25 h).
  return { start: endOfLocalDay(new Date(end.getTime() - 36 * 3_600_000), timeZone), end };
}

/** When a ticket (check_in) token stops working: end of the performance day + grace. */
export function ticketExpiry(startsAt: Date, timeZone: string, graceHours: number): Date {
  return new Date(endOfLocalDay(startsAt, timeZone).getTime() + graceHours * 3_600_000);
}

/**
 * When the tickets of a performance stop working: the end of its day in the venue's zone
 * (or the configured zone, if the venue's is not one Intl knows) plus TICKET_GRACE_HOURS.
 * Every ticket issued, re-issued or moved with its performance gets this expiry.
 */
export function ticketsValidUntil(
  performance: { startsAt: Date; venue: { timeZone: string } },
  config: { TIME_ZONE: string; TICKET_GRACE_HOURS: number },
): Date {
  return ticketExpiry(performance.startsAt, safeTimeZone(performance.venue.timeZone, config.TIME_ZONE), config.TICKET_GRACE_HOURS);
}

/**
 * Gives every ticket of a performance the validity of its (new) day: called, in the
 * transaction that moves it, with the start and the venue it moves to, so a change of
 * venue counts in the new venue's time zone.
 */
export async function retimeTickets(
  tx: Prisma.TransactionClient,
  performanceId: string,
  performance: { startsAt: Date; venue: { timeZone: string } },
  config: { TIME_ZONE: string; TICKET_GRACE_HOURS: number },
): Promise<void> {
  await tx.reservationToken.updateMany({
    where: { purpose: "check_in", reservation: { performanceId } },
    data: { expiresAt: ticketsValidUntil(performance, config) },
  });
}

/** True when Intl knows `timeZone` (an IANA name such as Europe/Rome). */
export function isValidTimeZone(timeZone: string): boolean {
  return timeZone.length > 0 && zoneIsValid(timeZone);
}

/** A zone Intl accepts, else the fallback (a typo in a venue must not break emails). */
export function safeTimeZone(timeZone: string | null | undefined, fallback: string): string {
  for (const tz of [timeZone, fallback, "Europe/Rome"]) {
    if (tz && zoneIsValid(tz)) return tz;
  }
  return "UTC";
}
