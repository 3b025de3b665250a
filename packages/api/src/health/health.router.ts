import { z } from "zod";
import { publicProcedure, router } from "../trpc.ts";
import { checkReadiness } from "./readiness.service.ts";

export const healthRouter = router({
  /** Liveness and database reachability, without secrets. */
  check: publicProcedure.query(async ({ ctx }) => {
    await ctx.prisma.$queryRawUnsafe("SELECT 1");
    return { status: "ok" as const, time: new Date().toISOString() };
  }),
  /**
   * Readiness (the site's /readyz): the database answers, every migration is applied, mail
   * can go out. Never throws for a failed check: `ready: false` names it in `body.checks`.
   */
  ready: publicProcedure.input(z.object({}).strict().optional()).query(({ ctx }) => checkReadiness(ctx.prisma, ctx.config)),
});
