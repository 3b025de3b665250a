import { publicProcedure, router } from "../trpc.ts";
import { ticketInputSchema } from "./tickets.schema.ts";
import { cancelTicket, getTicket, ticketCalendar } from "./tickets.service.ts";

export const ticketsRouter = router({
  get: publicProcedure.input(ticketInputSchema).query(({ ctx, input }) => getTicket(ctx.prisma, ctx.config, input.token)),
  /** The ticket's performance as an iCalendar file (one event, the reservation as UID). */
  calendar: publicProcedure
    .input(ticketInputSchema)
    .query(async ({ ctx, input }) => ({ ics: await ticketCalendar(ctx.prisma, ctx.config, input.token) })),
  cancel: publicProcedure.input(ticketInputSchema).mutation(({ ctx, input }) => cancelTicket(ctx.prisma, input.token, ctx.config)),
});
