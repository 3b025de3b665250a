import { isRawToken } from "@sipario/api";
import { error, fail } from "@sveltejs/kit";
import { callFailure, serverCaller } from "$lib/server/trpc";
import { ticketError } from "$lib/server/tickets";
import type { Actions, PageServerLoad } from "./$types";

/** The confirmation step: GET asks, POST cancels. */
export const load: PageServerLoad = async (event) => {
  if (!isRawToken(event.params.token)) error(404, { message: "Not found", code: "ticket_unknown" });
  const caller = await serverCaller(event);
  try {
    const ticket = await caller.tickets.get({ token: event.params.token, locale: event.locals.locale });
    return { ticket: { show: ticket.show, startsAt: ticket.startsAt, venue: ticket.venue, partySize: ticket.partySize }, token: event.params.token };
  } catch (e) {
    // After the POST the load runs again: a cancelled ticket is this page's happy ending.
    const failure = callFailure(e);
    if (failure.reason === "reservation_not_confirmed" && failure.data.status === "cancelled") {
      return { ticket: null, token: event.params.token };
    }
    ticketError(e);
  }
};

export const actions: Actions = {
  default: async (event) => {
    const caller = await serverCaller(event);
    try {
      await caller.tickets.cancel({ token: event.params.token });
    } catch (e) {
      const failure = callFailure(e);
      return fail(failure.status, { cancelled: false as const, reason: failure.reason });
    }
    return { cancelled: true as const, reason: null };
  },
};
