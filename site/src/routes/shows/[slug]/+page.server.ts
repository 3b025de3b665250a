import { error } from "@sveltejs/kit";
import { renderMarkdown } from "$lib/server/markdown";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => {
  const caller = await serverCaller(event);
  try {
    const show = await caller.catalogue.show({ slug: event.params.slug, locale: event.locals.locale });
    return { show: { ...show, descriptionHtml: renderMarkdown(show.description), creditsHtml: renderMarkdown(show.credits) } };
  } catch (e) {
    const failure = callFailure(e);
    // A malformed slug is just a page that does not exist.
    if (failure.status === 404 || failure.status === 400) error(404, "Not found");
    throw e;
  }
};
