import { formatNumber } from "$lib/format";
import { translatePlural, type Locale, type Translate } from "$lib/i18n";

/** At or below this many seats the listing says "only N left". */
export const FEW_SEATS = 10;

export type AvailabilityKind = "open" | "few" | "sold_out" | "closed";

export function availability(p: { bookingEnabled: boolean; availableSeats: number }): AvailabilityKind {
  if (!p.bookingEnabled) return "closed";
  if (p.availableSeats <= 0) return "sold_out";
  return p.availableSeats <= FEW_SEATS ? "few" : "open";
}

export function availabilityLabel(t: Translate, locale: Locale, p: { bookingEnabled: boolean; availableSeats: number }): string {
  switch (availability(p)) {
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
