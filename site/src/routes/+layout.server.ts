import { getConfig } from "@sipario/api";
import { serverCaller } from "$lib/server/trpc";
import type { LayoutServerLoad } from "./$types";

export const load: LayoutServerLoad = async (event) => {
  const { locals } = event;
  const caller = await serverCaller(event);
  const [site, menu] = await Promise.all([caller.content.settings({ locale: locals.locale }), caller.content.menu({ locale: locals.locale })]);
  return {
    locale: locals.locale,
    /** Fallback zone for dates; a venue's own timeZone wins where the API gives it. */
    timeZone: getConfig().TIME_ZONE,
    site,
    menu: menu.items,
    staff: locals.user ? { name: locals.user.name, role: locals.user.role } : null,
  };
};
