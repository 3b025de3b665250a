import { error } from "@sveltejs/kit";
import { renderMarkdown } from "$lib/server/markdown";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { PageServerLoad } from "./$types";

/**
 * A published company page in the visitor's language, else its Italian original. The slug
 * is checked by content.page's input schema rather than by a route param matcher:
 * SvelteKit loads matchers with a dynamic import() on every request (its cost to every
 * request is in docs/performance.md, "What changed, and what each bought").
 */
export const load: PageServerLoad = async (event) => {
  try {
    const { body, ...page } = await (await serverCaller(event)).content.page({ slug: event.params.page, locale: event.locals.locale });
    return { page: { ...page, html: renderMarkdown(body) } };
  } catch (e) {
    // A malformed slug is just a page that does not exist.
    const failure = callFailure(e);
    if (failure.status === 404 || failure.status === 400) error(404, "Not found");
    throw e;
  }
};
