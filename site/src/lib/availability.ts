import { formatNumber, formatShortDate } from "$lib/format";
import { translatePlural, type Locale, type Translate } from "$lib/i18n";

/** At or below this many seats the listing says "only N left". */
export const FEW_SEATS = 10;

export type AvailabilityKind = "open" | "few" | "sold_out" | "closed" | "not_open_yet" | "cancelled";

/** What the catalogue says about a performance's seats and on-sale window (the API decides the state). */
export interface AvailabilityFacts {
  bookingEnabled: boolean;
  availableSeats: number;
  bookingState?: "open" | "not_open_yet" | "closed" | "cancelled";
  bookingOpensAt?: string | null;
}

export function availability(p: AvailabilityFacts): AvailabilityKind {
  if (p.bookingState === "cancelled") return "cancelled";
  if (p.bookingState === "not_open_yet" && p.bookingOpensAt) return "not_open_yet";
  if (!p.bookingEnabled) return "closed";
  if (p.availableSeats <= 0) return "sold_out";
  return p.availableSeats <= FEW_SEATS ? "few" : "open";
}

export function availabilityLabel(t: Translate, locale: Locale, p: AvailabilityFacts, timeZone?: string): string {
  switch (availability(p)) {
    case "cancelled":
      return t("perf.cancelled");
    case "not_open_yet": {
      const d = formatShortDate(p.bookingOpensAt!, locale, timeZone);
      return t("perf.opensOn", { date: `${d.day} ${d.month}` });
    }
    case "closed":
      return t("perf.closed");
    case "sold_out":
      return t("perf.soldOut");
    case "few":
      return p.availableSeats === 1 ? t("perf.seatsLeft.one") : t("perf.fewLeft.other", { count: formatNumber(p.availableSeats, locale) });
    default:
      return translatePlural(t, locale, "perf.seatsLeft", p.availableSeats, { count: formatNumber(p.availableSeats, locale) });
  }
}

/** The venue's own time zone when the API gives it, else the site's. */
export function zoneOf(venue: object, fallback: string): string {
  const tz = (venue as { timeZone?: unknown }).timeZone;
  return typeof tz === "string" && tz ? tz : fallback;
}
