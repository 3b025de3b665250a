import { RATE_LIMITS, consumeRateLimits } from "../rate-limit/rate-limit.service.ts";
import { hashToken } from "../lib/tokens.ts";
import { publicProcedure, router } from "../trpc.ts";
import { joinWaitlistSchema, waitlistStatusSchema, waitlistTokenSchema } from "./waitlist.schema.ts";
import { confirmWaitlistEntry, joinWaitlist, leaveWaitlist, waitlistStatus } from "./waitlist.service.ts";

export const waitlistRouter = router({
  // Rate limited like booking.create (its own buckets, the same limits).
  join: publicProcedure.input(joinWaitlistSchema).mutation(async ({ ctx, input }) => {
    await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [
      { key: `waitlist:addr:${ctx.clientAddress}`, rule: RATE_LIMITS.bookingPerAddress },
      { key: `waitlist:email:${hashToken(input.email).slice(0, 32)}`, rule: RATE_LIMITS.bookingPerEmail },
    ]);
    const r = await joinWaitlist(ctx.prisma, ctx.config, input);
    return { status: r.status };
  }),
  confirm: publicProcedure.input(waitlistTokenSchema).mutation(async ({ ctx, input }) => {
    await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [{ key: `confirm:addr:${ctx.clientAddress}`, rule: RATE_LIMITS.confirmPerAddress }]);
    return confirmWaitlistEntry(ctx.prisma, ctx.config, input.token);
  }),
  status: publicProcedure.input(waitlistStatusSchema).query(async ({ ctx, input }) => {
    await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [{ key: `ticket:addr:${ctx.clientAddress}`, rule: RATE_LIMITS.ticketPerAddress }]);
    return waitlistStatus(ctx.prisma, input.token, new Date(), input.locale);
  }),
  leave: publicProcedure.input(waitlistTokenSchema).mutation(async ({ ctx, input }) => {
    await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [{ key: `confirm:addr:${ctx.clientAddress}`, rule: RATE_LIMITS.confirmPerAddress }]);
    return leaveWaitlist(ctx.prisma, ctx.config, input.token);
  }),
});
