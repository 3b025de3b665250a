import { redirect } from "@sveltejs/kit";
import type { RequestHandler } from "./$types";
import { isLocale, LOCALE_COOKIE } from "$lib/i18n";

/**
 * The language switcher posts here. A POST (not a link with ?next=) keeps token URLs
 * out of query strings and logs.
 */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const form = await request.formData().catch(() => null);
  const locale = form?.get("locale");
  const next = String(form?.get("next") ?? "/");
  if (isLocale(locale)) {
    cookies.set(LOCALE_COOKIE, locale, { path: "/", httpOnly: true, sameSite: "lax", secure: url.protocol === "https:", maxAge: 365 * 86400 });
  }
  // Only same-site paths: never an open redirect.
  const safe = next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
  redirect(303, safe);
};
