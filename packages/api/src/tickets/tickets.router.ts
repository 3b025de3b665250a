import { publicProcedure, router } from "../trpc.ts";
import { ticketInputSchema } from "./tickets.schema.ts";
import { cancelTicket, getTicket } from "./tickets.service.ts";

export const ticketsRouter = router({
  get: publicProcedure.input(ticketInputSchema).query(({ ctx, input }) => getTicket(ctx.prisma, ctx.config, input.token)),
  cancel: publicProcedure.input(ticketInputSchema).mutation(({ ctx, input }) => cancelTicket(ctx.prisma, input.token, ctx.config)),
});
