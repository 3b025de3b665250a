import type { Locale } from "$lib/i18n";

const INTL_LOCALE: Record<Locale, string> = { it: "it-IT", en: "en-GB" };

// Building an Intl formatter costs far more than using one (docs/performance.md has the
// figure): keep one per locale, zone and options.
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(INTL_LOCALE[locale], options);
    formatters.set(key, formatter);
  }
  return formatter;
}

const zoneValidity = new Map<string, boolean>();
function safeZone(timeZone: string | undefined): string {
  if (!timeZone) return "Europe/Rome";
  let valid = zoneValidity.get(timeZone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone });
      valid = true;
    } catch {
      valid = false;
    }
    if (zoneValidity.size < 1000) zoneValidity.set(timeZone, valid);
  }
  return valid ? timeZone : "Europe/Rome";
}

/** "sabato 28 novembre 2026" in the venue's time zone, not the server's. */
export function formatDate(value: string | Date, locale: Locale, timeZone?: string): string {
  return dateFormatter(locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: safeZone(timeZone),
  }).format(new Date(value));
}

export function formatShortDate(value: string | Date, locale: Locale, timeZone?: string): { day: string; month: string; weekday: string } {
  const parts = dateFormatter(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: safeZone(timeZone),
  }).formatToParts(new Date(value));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: get("day"), month: get("month").replace(".", ""), weekday: get("weekday").replace(".", "") };
}

export function formatTime(value: string | Date, locale: Locale, timeZone?: string): string {
  return dateFormatter(locale, {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: safeZone(timeZone),
  }).format(new Date(value));
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
export function formatNumber(value: number, locale: Locale): string {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(INTL_LOCALE[locale])));
  return format.format(value);
}

/** "sabato 28 novembre 2026, 21:00": the performance's date and time in its venue's zone. */
export function formatDateTime(value: string | Date, locale: Locale, timeZone?: string): string {
  return `${formatDate(value, locale, timeZone)}, ${formatTime(value, locale, timeZone)}`;
}

/** ISO string for a <time datetime>. */
export function isoString(value: string | Date): string {
  return new Date(value).toISOString();
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
export function plural(locale: Locale, count: number): "one" | "other" {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(INTL_LOCALE[locale])));
  return rules.select(count) === "one" ? "one" : "other";
}

const languageNames = new Map<Locale, Intl.DisplayNames>();
/** "inglese" / "English" for an ISO 639-1 code, in the page's language. */
export function languageName(code: string, locale: Locale): string {
  let names = languageNames.get(locale);
  if (!names) languageNames.set(locale, (names = new Intl.DisplayNames([INTL_LOCALE[locale]], { type: "language" })));
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "1 h 25 min", "45 min", "2 h": a running time, written the same in Italian and English. */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
