import { publicProcedure, router } from "../trpc.ts";
import { performanceInputSchema, performancesInputSchema, showInputSchema } from "./catalogue.schema.ts";
import { getPerformance, getShow, listPerformances, listShows } from "./catalogue.service.ts";
import { cachedPublicRead } from "./public-read-cache.ts";

// Public reads go through the short per-process cache (public-read-cache.ts): the same
// answers for every visitor, asked for by all of them at once when sales open.
export const catalogueRouter = router({
  shows: publicProcedure.query(({ ctx }) => cachedPublicRead(ctx.prisma, "catalogue.shows", () => listShows(ctx.prisma))),
  show: publicProcedure
    .input(showInputSchema)
    .query(({ ctx, input }) => cachedPublicRead(ctx.prisma, `catalogue.show:${input.slug}`, () => getShow(ctx.prisma, input.slug))),
  performances: publicProcedure
    .input(performancesInputSchema)
    .query(({ ctx, input }) =>
      cachedPublicRead(ctx.prisma, `catalogue.performances:${JSON.stringify(input ?? {})}`, () => listPerformances(ctx.prisma, input ?? {})),
    ),
  performance: publicProcedure
    .input(performanceInputSchema)
    .query(({ ctx, input }) => cachedPublicRead(ctx.prisma, `catalogue.performance:${input.id}`, () => getPerformance(ctx.prisma, input.id))),
});
