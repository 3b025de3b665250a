import { en } from "./en.ts";
import { it, type MessageKey, type Messages } from "./it.ts";
import { plural } from "../format.ts";

export type { MessageKey, Messages };
export const LOCALES = ["it", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "it";
export const LOCALE_COOKIE = "sipario_locale";

export const catalogues: Record<Locale, Messages> = { it, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The best supported locale for an Accept-Language header (q-values honoured). */
export function localeFromAcceptLanguage(header: string | null): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { lang: tag.toLowerCase().split("-")[0] ?? "", q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) if (isLocale(entry.lang)) return entry.lang;
  return DEFAULT_LOCALE;
}

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** A translate function for one locale; `{name}` placeholders are filled from params. */
export function translator(locale: Locale): Translate {
  const messages = catalogues[locale] ?? catalogues[DEFAULT_LOCALE];
  return (key, params) => {
    // A key missing at run time shows itself raw, so the catalogue test catches it.
    const template = messages[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
  };
}

/** Picks `${base}.one` or `${base}.other` by the locale's plural rules and fills {count}. */
export function translatePlural(t: Translate, locale: Locale, base: string, count: number, params: Params = {}): string {
  const rule = plural(locale, count);
  const key = (rule === "one" && `${base}.one` in catalogues[locale] ? `${base}.one` : `${base}.other`) as MessageKey;
  return t(key, { count, ...params });
}
