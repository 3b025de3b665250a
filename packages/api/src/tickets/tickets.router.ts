import { publicProcedure, router } from "../trpc.ts";
import { lostTicketsSchema } from "./lost-tickets.schema.ts";
import { sendLostTickets } from "./lost-tickets.service.ts";
import { ticketInputSchema, ticketReadInputSchema } from "./tickets.schema.ts";
import { cancelTicket, consumeTicketRequest, getTicket, ticketCalendar } from "./tickets.service.ts";

/** Every ticket call counts against the caller's address (the ticket page goes through tickets.get). */
const ticketProcedure = publicProcedure.use(async ({ ctx, next }) => {
  await consumeTicketRequest(ctx.prisma, ctx.config, ctx.clientAddress);
  return next();
});

export const ticketsRouter = router({
  get: ticketProcedure.input(ticketReadInputSchema).query(({ ctx, input }) => getTicket(ctx.prisma, ctx.config, input.token, input.locale)),
  /** The ticket's performance as an iCalendar file (one event). */
  calendar: ticketProcedure
    .input(ticketReadInputSchema)
    .query(async ({ ctx, input }) => ({ ics: await ticketCalendar(ctx.prisma, ctx.config, input.token, input.locale) })),
  /** "Lost your ticket?": always { status: "sent" }; the links go only to the address typed. */
  lost: publicProcedure
    .input(lostTicketsSchema)
    .mutation(({ ctx, input }) => sendLostTickets(ctx.prisma, ctx.config, { ...input, clientAddress: ctx.clientAddress })),
  cancel: ticketProcedure.input(ticketInputSchema).mutation(({ ctx, input }) => cancelTicket(ctx.prisma, input.token, ctx.config)),
});
