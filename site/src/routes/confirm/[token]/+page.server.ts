import { isRawToken } from "@sipario/api";
import { fail, redirect } from "@sveltejs/kit";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { Actions, PageServerLoad } from "./$types";

/** GET changes nothing: mail scanners open links. Confirming is the POST below. */
export const load: PageServerLoad = async (event) => {
  if (!isRawToken(event.params.token)) return { state: "unknown" as const, booking: null };
  try {
    const d = await (await serverCaller(event)).booking.describe({ token: event.params.token, locale: event.locals.locale });
    return {
      state: d.state,
      booking: { partySize: d.partySize, startsAt: d.startsAt, expiresAt: d.expiresAt, show: d.show, venue: d.venue, performanceId: d.performanceId },
    };
  } catch (e) {
    if (callFailure(e).reason === "unknown_token") return { state: "unknown" as const, booking: null };
    throw e;
  }
};

export const actions: Actions = {
  default: async (event) => {
    const caller = await serverCaller(event);
    let ticketUrl: string;
    try {
      ({ ticketUrl } = await caller.booking.confirm({ token: event.params.token }));
    } catch (e) {
      const failure = callFailure(e);
      return fail(failure.status, { reason: failure.reason });
    }
    // The ticket URL is absolute (ORIGIN); stay on this site whatever ORIGIN says.
    redirect(303, new URL(ticketUrl).pathname);
  },
};
