import { getDatabase } from "@sipario/db";
import { error } from "@sveltejs/kit";
import { renderMarkdown } from "$lib/server/markdown";
import type { PageServerLoad } from "./$types";

/** A published company page in the visitor's language, else its Italian original. */
export const load: PageServerLoad = async ({ params, locals }) => {
  const { prisma } = await getDatabase();
  const rows = await prisma.page.findMany({
    where: { slug: params.page, isPublished: true, locale: { in: [locals.locale, "it"] } },
    select: { title: true, body: true, locale: true, updatedAt: true },
  });
  const page = rows.find((r) => r.locale === locals.locale) ?? rows[0];
  if (!page) error(404, "Not found");
  return {
    page: { title: page.title, html: renderMarkdown(page.body), lang: page.locale, updatedAt: page.updatedAt.toISOString() },
  };
};
