import { serverCaller } from "$lib/server/trpc";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => {
  const caller = await serverCaller(event);
  const [performances, shows] = await Promise.all([
    caller.catalogue.performances({ limit: 6, locale: event.locals.locale }),
    caller.catalogue.shows({ locale: event.locals.locale }),
  ]);
  return { performances: performances.items, shows: shows.items };
};
