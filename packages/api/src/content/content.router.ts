import { publicProcedure, router } from "../trpc.ts";
import { contentInputSchema, pageInputSchema } from "./content.schema.ts";
import { companyPage, menuPages, siteSettings } from "./content.service.ts";

/** The company's settings and pages, for every page's layout and the company pages. */
export const contentRouter = router({
  /** Name, words and accent colour (the site's header, home page and theme.css). */
  settings: publicProcedure.input(contentInputSchema).query(({ ctx, input }) => siteSettings(ctx.prisma, input?.locale)),
  /** Published company pages for the menu. */
  menu: publicProcedure.input(contentInputSchema).query(async ({ ctx, input }) => ({ items: await menuPages(ctx.prisma, input?.locale) })),
  /** One published company page, Markdown body; NOT_FOUND when missing or unpublished. */
  page: publicProcedure.input(pageInputSchema).query(({ ctx, input }) => companyPage(ctx.prisma, input.slug, input.locale)),
});
