import { getDatabase } from "@sipario/db";
import { siteSettings } from "$lib/server/content";

/**
 * The company's colours as CSS custom properties. Served as a stylesheet (not an inline
 * style) so the CSP can forbid inline styles.
 */
export const GET = async () => {
  let accent = "#b3261e";
  try {
    accent = (await siteSettings((await getDatabase()).prisma)).accent;
  } catch {
    // The error page still needs a stylesheet when the database is down.
  }
  // html:root outranks the stylesheet's own :root default, whatever order they load in.
  const body = `html:root{--accent:${accent};}\n`;
  return new Response(body, {
    headers: { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" },
  });
};
