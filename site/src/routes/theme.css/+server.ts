import { serverCaller } from "$lib/server/trpc";
import type { RequestHandler } from "./$types";

/** The stylesheet's own default, also used when the settings cannot be read. */
const DEFAULT_ACCENT = "#b3261e";

/**
 * The company's colours as CSS custom properties. Served as a stylesheet (not an inline
 * style) so the CSP can forbid inline styles. content.settings answers only `#rrggbb`.
 */
export const GET: RequestHandler = async (event) => {
  let accent = DEFAULT_ACCENT;
  try {
    accent = (await (await serverCaller(event)).content.settings()).accent;
  } catch {
    // The error page still needs a stylesheet when the database is down.
  }
  // html:root outranks the stylesheet's own :root default, whatever order they load in.
  const body = `html:root{--accent:${accent};}\n`;
  return new Response(body, {
    headers: { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" },
  });
};
