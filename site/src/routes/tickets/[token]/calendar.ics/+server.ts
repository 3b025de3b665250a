import { consumeTicketRequest, getConfig, ticketCalendar } from "@sipario/api";
import { getDatabase } from "@sipario/db";
import { error } from "@sveltejs/kit";
import { TOKEN } from "$lib/server/tickets";
import { clientAddress } from "$lib/server/trpc";
import type { RequestHandler } from "./$types";

export const GET: RequestHandler = async (event) => {
  const { params } = event;
  if (!TOKEN.test(params.token)) error(404, "Not found");
  let ics: string;
  try {
    const [{ prisma }, config] = [await getDatabase(), getConfig()];
    await consumeTicketRequest(prisma, config, clientAddress(event));
    ics = await ticketCalendar(prisma, config, params.token);
  } catch (e) {
    const reason = (e as { reason?: unknown }).reason;
    if (reason === "rate_limited") error(429, "Too many requests. Please wait a minute.");
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
