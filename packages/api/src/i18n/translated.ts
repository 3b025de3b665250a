import { z } from "zod";

/**
 * Translated fields (docs/adr/0016-translated-fields-as-paired-columns.md): every text an
 * admin writes for visitors is a pair of columns, the Italian one unsuffixed (`title`) and
 * the English one with `En` (`titleEn`). Readers never pick a column themselves: they ask
 * this module, which shows the visitor's language and falls back to the other one, saying
 * which language the text is in so a page can mark it (`lang`).
 */

export const CONTENT_LOCALES = ["it", "en"] as const;
export type ContentLocale = (typeof CONTENT_LOCALES)[number];
export const contentLocaleSchema = z.enum(CONTENT_LOCALES);

/** "en", "en-GB" -> en; anything else (null, "it", "fr") -> it, the company's own language. */
export function contentLocale(value: string | null | undefined): ContentLocale {
  return value?.toLowerCase().startsWith("en") ? "en" : "it";
}

export interface Translation {
  text: string;
  /** The language `text` is in: the asked one, or the other when it was missing. */
  lang: ContentLocale;
}

/** The text in `locale`, else the other language's; an empty text in `locale` when both are missing. */
export function pickTranslation(italian: string | null | undefined, english: string | null | undefined, locale: ContentLocale): Translation {
  const it = italian?.trim() ?? "";
  const en = english?.trim() ?? "";
  const [wanted, other] = locale === "en" ? [en, it] : [it, en];
  if (wanted) return { text: wanted, lang: locale };
  if (other) return { text: other, lang: locale === "en" ? "it" : "en" };
  return { text: "", lang: locale };
}

type Paired<F extends string> = { [K in F]: string } & { [K in `${F}En`]: string };

/**
 * Picks each of `fields` from a row holding the pairs: the texts under the fields' own
 * names, and `lang` naming the language of each one.
 */
export function localize<F extends string>(
  row: Paired<F>,
  fields: readonly F[],
  locale: ContentLocale,
): { [K in F]: string } & { lang: { [K in F]: ContentLocale } } {
  const texts = {} as Record<string, string>;
  const lang = {} as Record<string, ContentLocale>;
  for (const field of fields) {
    const picked = pickTranslation(row[field], (row as Record<string, string>)[`${field}En`], locale);
    texts[field] = picked.text;
    lang[field] = picked.lang;
  }
  return { ...texts, lang } as { [K in F]: string } & { lang: { [K in F]: ContentLocale } };
}

/** The translated fields of each model, and the Prisma `select` reading both columns of each. */
export const SHOW_TEXT = ["title", "summary", "description", "credits", "ageGuidance"] as const;
export const VENUE_TEXT = ["name", "notes", "accessInfo", "transport"] as const;
export const PERFORMANCE_TEXT = ["note"] as const;

export function pairedSelect<F extends string>(fields: readonly F[]): { [K in F | `${F}En`]: true } {
  return Object.fromEntries(
    fields.flatMap((f) => [
      [f, true],
      [`${f}En`, true],
    ]),
  ) as { [K in F | `${F}En`]: true };
}

/** An OpenStreetMap search for an address: a plain link, no embedded third-party map. */
export function mapUrl(venue: { address: string; city: string }): string {
  const query = [venue.address, venue.city].filter((part) => part.trim()).join(", ");
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(query)}`;
}
