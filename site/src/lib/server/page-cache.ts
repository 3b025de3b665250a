import type { RequestEvent } from "@sveltejs/kit";
import { cachedPublicResponse } from "./trpc.ts";

/**
 * Rendered public pages (and the public catalogue's tRPC answers, below), shared by every anonymous visitor for the public-read cache's TTL
 * (PUBLIC_READ_CACHE_MS, 2 s by default). When sales open, hundreds of visitors load the
 * same show page in the same second; rendering it once per TTL instead of once per visitor
 * is what keeps the booking requests fast (docs/performance.md, scenario 3).
 *
 * It is safe because these pages are the same for every anonymous visitor of one language:
 * - only GETs of the routes below, and only without a session cookie (staff see their own
 *   header; everything staff-only is elsewhere);
 * - the key holds the full request URL (SvelteKit's __data.json requests included) and
 *   the visitor's language;
 * - the CSP uses hashes, not per-request nonces (site/vite.config.ts), so a shared page
 *   carries no secret;
 * - a response that sets a cookie or is not a 200/404 is never shared;
 * - it lives in the same cache as the catalogue reads, so a confirmation, cancellation or
 *   capacity edit in this process shows at once; other processes' edits within the TTL.
 */
const SHARED_ROUTES = new Set(["/", "/shows", "/shows/[slug]", "/[page]", "/book/[id]"]);

interface SharedResponse {
  shareable: boolean;
  status: number;
  headers: [string, string][];
  body: string;
}

/**
 * The public catalogue's tRPC queries (`catalogue.shows`, or a batch of catalogue
 * procedures): the same answer for every visitor, already read through the public-read
 * cache; sharing the serialized answer also skips tRPC's request handling.
 */
const TRPC_ROUTE = "/api/trpc/[...trpc]";
const CATALOGUE_PROCEDURES = /^\/api\/trpc\/catalogue\.[A-Za-z]+(?:,catalogue\.[A-Za-z]+)*$/;

export function isShareablePublicRequest(event: RequestEvent, sessionCookieName: string): boolean {
  if (event.request.method !== "GET" || event.route.id === null || event.cookies.get(sessionCookieName)) return false;
  if (event.route.id === TRPC_ROUTE) return CATALOGUE_PROCEDURES.test(event.url.pathname);
  return SHARED_ROUTES.has(event.route.id);
}

/** Answers from the shared copy when there is one; otherwise renders (once for all waiting visitors). */
export async function sharedPublicResponse(event: RequestEvent, render: () => Response | Promise<Response>): Promise<Response> {
  const key = `page:${event.locals.locale}:${event.request.url}`;
  // The visitor whose request renders the page keeps that exact response.
  let rendered: Response | undefined;
  let renderedHere = false;
  const shared = await cachedPublicResponse<SharedResponse>(
    key,
    async () => {
      renderedHere = true;
      const response = await render();
      const shareable = (response.status === 200 || response.status === 404) && !response.headers.has("set-cookie");
      if (!shareable) {
        rendered = response;
        return { shareable, status: response.status, headers: [], body: "" };
      }
      return { shareable, status: response.status, headers: [...response.headers], body: await response.text() };
    },
    { bytes: (page) => page.body.length + 1_024 },
  );
  if (shared.shareable) {
    const response = new Response(shared.body, { status: shared.status, headers: shared.headers });
    // As caching proxies do: lets an operator see why a page looks a moment old.
    response.headers.set("x-cache", renderedHere ? "miss" : "hit");
    return response;
  }
  // Not shareable (an error, a cookie): every other visitor gets their own rendering. The
  // marker stays cached for the TTL, so an error page is never served to anyone else.
  return rendered ?? render();
}
