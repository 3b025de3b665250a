import { describeConfirmation } from "@sipario/api";
import { getDatabase } from "@sipario/db";
import { fail, redirect } from "@sveltejs/kit";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { Actions, PageServerLoad } from "./$types";

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** GET changes nothing: mail scanners open links. Confirming is the POST below. */
export const load: PageServerLoad = async ({ params }) => {
  if (!TOKEN.test(params.token)) return { state: "unknown" as const, booking: null };
  try {
    const d = await describeConfirmation((await getDatabase()).prisma, params.token);
    return {
      state: d.state,
      booking: { partySize: d.partySize, startsAt: d.startsAt, expiresAt: d.expiresAt, show: d.show, venue: d.venue, performanceId: d.performanceId },
    };
  } catch (e) {
    if ((e as { reason?: unknown }).reason === "unknown_token") return { state: "unknown" as const, booking: null };
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
