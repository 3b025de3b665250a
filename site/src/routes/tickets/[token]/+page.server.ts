import { isRawToken } from "@sipario/api";
import { error } from "@sveltejs/kit";
import { serverCaller } from "$lib/server/trpc";
import { ticketError } from "$lib/server/tickets";
import type { PageServerLoad } from "./$types";

export const load: PageServerLoad = async (event) => {
  if (!isRawToken(event.params.token)) error(404, { message: "Not found", code: "ticket_unknown" });
  const caller = await serverCaller(event);
  try {
    // The page names the booking by its public code: the reservation id (which the API
    // returns, as the contract says) stays out of the page's data and so out of its HTML.
    const { reservationId: _id, ...ticket } = await caller.tickets.get({ token: event.params.token, locale: event.locals.locale });
    const staff = event.locals.user?.role === "staff" || event.locals.user?.role === "admin";
    return { ticket, token: event.params.token, staff };
  } catch (e) {
    ticketError(e);
  }
};
