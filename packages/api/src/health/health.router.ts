import { publicProcedure, router } from "../trpc.ts";

export const healthRouter = router({
  /** Liveness and database reachability, without secrets. */
  check: publicProcedure.query(async ({ ctx }) => {
    await ctx.prisma.$queryRawUnsafe("SELECT 1");
    return { status: "ok" as const, time: new Date().toISOString() };
  }),
});
