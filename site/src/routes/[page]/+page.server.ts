import { getDatabase } from "@sipario/db";
import { error } from "@sveltejs/kit";
import { companyPage } from "$lib/server/content";
import type { PageServerLoad } from "./$types";

/** Company page slugs (about, contacts...): lower-case words joined by dashes. */
const PAGE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A published company page in the visitor's language, else its Italian original.
 * The slug is checked here rather than by a route param matcher: SvelteKit loads
 * matchers with a dynamic import() on every request, and under tsx each one is a round
 * trip to the module-hooks thread (~4% of a door scan's CPU in the benchmark).
 */
export const load: PageServerLoad = async ({ params, locals }) => {
  if (!PAGE_SLUG.test(params.page) || params.page.length > 120) error(404, "Not found");
  const { prisma } = await getDatabase();
  const page = await companyPage(prisma, params.page, locals.locale);
  if (!page) error(404, "Not found");
  return { page };
};
