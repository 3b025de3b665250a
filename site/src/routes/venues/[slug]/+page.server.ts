import { error } from "@sveltejs/kit";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => {
  const caller = await serverCaller(event);
  try {
    return { venue: await caller.catalogue.venue({ slug: event.params.slug, locale: event.locals.locale }) };
  } catch (e) {
    const failure = callFailure(e);
    if (failure.status === 404 || failure.status === 400) error(404, "Not found");
    throw e;
  }
};
