import { serverCaller } from "$lib/server/trpc";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => {
  const caller = await serverCaller(event);
  const [shows, performances] = await Promise.all([
    caller.catalogue.shows({ locale: event.locals.locale }),
    caller.catalogue.performances({ locale: event.locals.locale }),
  ]);
  // The next date of each show, so the list says when it is on.
  const next = new Map<string, string>();
  for (const p of performances.items) if (!next.has(p.show.slug)) next.set(p.show.slug, p.startsAt);
  return { shows: shows.items.map((s) => ({ ...s, nextStartsAt: next.get(s.slug) ?? null })) };
};
