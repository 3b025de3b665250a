import { getConfig } from "@sipario/api";
import { getDatabase } from "@sipario/db";
import { menuPages, siteSettings } from "$lib/server/content";
import type { LayoutServerLoad } from "./$types";

export const load: LayoutServerLoad = async ({ locals }) => {
  const { prisma } = await getDatabase();
  const [site, menu] = await Promise.all([siteSettings(prisma, locals.locale), menuPages(prisma, locals.locale)]);
  return {
    locale: locals.locale,
    /** Fallback zone for dates; a venue's own timeZone wins where the API gives it. */
    timeZone: getConfig().TIME_ZONE,
    site,
    menu,
    staff: locals.user ? { name: locals.user.name, role: locals.user.role } : null,
  };
};
