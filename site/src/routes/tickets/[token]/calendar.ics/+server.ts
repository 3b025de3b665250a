import { isRawToken } from "@sipario/api";
import { error } from "@sveltejs/kit";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { RequestHandler } from "./$types";

export const GET: RequestHandler = async (event) => {
  if (!isRawToken(event.params.token)) error(404, "Not found");
  let ics: string;
  try {
    ({ ics } = await (await serverCaller(event)).tickets.calendar({ token: event.params.token, locale: event.locals.locale }));
  } catch (e) {
    const failure = callFailure(e);
    if (failure.reason === "reservation_not_confirmed") error(409, "This booking is not confirmed.");
    error(failure.status, failure.status === 404 ? "Not found" : failure.message);
  }
  return new Response(ics, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": 'attachment; filename="ticket.ics"',
      "cache-control": "private, no-store",
    },
  });
};
