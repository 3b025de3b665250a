import { getConfig, ticketCalendar } from "@sipario/api";
import { getDatabase } from "@sipario/db";
import { error } from "@sveltejs/kit";
import { TOKEN } from "$lib/server/tickets";
import type { RequestHandler } from "./$types";

export const GET: RequestHandler = async ({ params }) => {
  if (!TOKEN.test(params.token)) error(404, "Not found");
  let ics: string;
  try {
    ics = await ticketCalendar((await getDatabase()).prisma, getConfig(), params.token);
  } catch (e) {
    const reason = (e as { reason?: unknown }).reason;
    if (reason === "unknown_token") error(404, "Not found");
    if (reason === "reservation_not_confirmed") error(409, "This booking is not confirmed.");
    throw e;
  }
  return new Response(ics, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": 'attachment; filename="ticket.ics"',
      "cache-control": "private, no-store",
    },
  });
};
