import { page } from "$app/state";
import { DEFAULT_LOCALE, isLocale, translator, type Locale, type Translate } from "./index.ts";

/** The current page's locale (from the root layout's data). */
export function currentLocale(): Locale {
  const locale = page.data?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** A translate function for the current page; call inside $derived in components. */
export function useT(): Translate {
  return translator(currentLocale());
}
