import { getDatabase } from "@sipario/db";
import { error } from "@sveltejs/kit";
import { companyPage } from "$lib/server/content";
import type { PageServerLoad } from "./$types";

/** A published company page in the visitor's language, else its Italian original. */
export const load: PageServerLoad = async ({ params, locals }) => {
  const { prisma } = await getDatabase();
  const page = await companyPage(prisma, params.page, locals.locale);
  if (!page) error(404, "Not found");
  return { page };
};
