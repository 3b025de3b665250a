import { publicProcedure, router } from "../trpc.ts";
import { performanceInputSchema, performancesInputSchema, showInputSchema, showsInputSchema, venueInputSchema } from "./catalogue.schema.ts";
import { getPerformance, getShow, getVenue, listPerformances, listShows } from "./catalogue.service.ts";
import { cachedPublicRead } from "../lib/public-read-cache.ts";

// Public reads go through the short per-process cache (public-read-cache.ts): the same
// answers for every visitor of one language, asked for by all of them at once when sales open.
export const catalogueRouter = router({
  shows: publicProcedure.input(showsInputSchema).query(({ ctx, input }) => {
    const locale = input?.locale ?? "it";
    return cachedPublicRead(ctx.prisma, `catalogue.shows:${locale}`, () => listShows(ctx.prisma, locale));
  }),
  show: publicProcedure.input(showInputSchema).query(({ ctx, input }) => {
    const locale = input.locale ?? "it";
    return cachedPublicRead(ctx.prisma, `catalogue.show:${locale}:${input.slug}`, () => getShow(ctx.prisma, input.slug, new Date(), locale));
  }),
  performances: publicProcedure.input(performancesInputSchema).query(({ ctx, input }) => {
    const { locale = "it", ...filter } = input ?? {};
    return cachedPublicRead(ctx.prisma, `catalogue.performances:${locale}:${JSON.stringify(filter)}`, () =>
      listPerformances(ctx.prisma, filter, new Date(), locale),
    );
  }),
  performance: publicProcedure.input(performanceInputSchema).query(({ ctx, input }) => {
    const locale = input.locale ?? "it";
    return cachedPublicRead(ctx.prisma, `catalogue.performance:${locale}:${input.id}`, () => getPerformance(ctx.prisma, input.id, new Date(), locale));
  }),
  venue: publicProcedure.input(venueInputSchema).query(({ ctx, input }) => {
    const locale = input.locale ?? "it";
    return cachedPublicRead(ctx.prisma, `catalogue.venue:${locale}:${input.slug}`, () => getVenue(ctx.prisma, input.slug, new Date(), locale));
  }),
});
