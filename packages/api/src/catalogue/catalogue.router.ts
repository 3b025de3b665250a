import { publicProcedure, router } from "../trpc.ts";
import { performanceInputSchema, performancesInputSchema, showInputSchema } from "./catalogue.schema.ts";
import { getPerformance, getShow, listPerformances, listShows } from "./catalogue.service.ts";

export const catalogueRouter = router({
  shows: publicProcedure.query(({ ctx }) => listShows(ctx.prisma)),
  show: publicProcedure.input(showInputSchema).query(({ ctx, input }) => getShow(ctx.prisma, input.slug)),
  performances: publicProcedure.input(performancesInputSchema).query(({ ctx, input }) => listPerformances(ctx.prisma, input ?? {})),
  performance: publicProcedure.input(performanceInputSchema).query(({ ctx, input }) => getPerformance(ctx.prisma, input.id)),
});
