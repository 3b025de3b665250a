import { consumeRateLimits, RATE_LIMITS } from "../rate-limit/rate-limit.service.ts";
import { router, staffProcedure } from "../trpc.ts";
import {
  checkInTokenInputSchema,
  doorStatsInputSchema,
  manualCheckInInputSchema,
  searchInputSchema,
} from "./checkin.schema.ts";
import {
  confirmCheckIn,
  doorStats,
  manualCheckIn,
  performancesToday,
  previewCheckIn,
  searchReservations,
} from "./checkin.service.ts";

/** Scans and searches count per staff member: a stolen session cannot brute-force tickets. */
const limitedStaffProcedure = staffProcedure.use(async ({ ctx, next }) => {
  await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [{ key: `checkin:user:${ctx.user.id}`, rule: RATE_LIMITS.checkinPerUser }]);
  return next();
});

export const checkinRouter = router({
  preview: limitedStaffProcedure
    .input(checkInTokenInputSchema)
    .query(({ ctx, input }) => previewCheckIn(ctx.prisma, input.token, ctx.config)),

  confirm: limitedStaffProcedure
    .input(checkInTokenInputSchema)
    .mutation(({ ctx, input }) => confirmCheckIn(ctx.prisma, input.token, ctx.user, ctx.config)),

  manual: limitedStaffProcedure
    .input(manualCheckInInputSchema)
    .mutation(({ ctx, input }) => manualCheckIn(ctx.prisma, input.reservationId, ctx.user, ctx.config)),

  search: limitedStaffProcedure
    .input(searchInputSchema)
    .query(({ ctx, input }) => searchReservations(ctx.prisma, input.performanceId, input.q)),

  // Polled every few seconds by each door: not rate limited per scan.
  doorStats: staffProcedure.input(doorStatsInputSchema).query(({ ctx, input }) => doorStats(ctx.prisma, input.performanceId)),

  performancesToday: staffProcedure.query(({ ctx }) => performancesToday(ctx.prisma, ctx.config)),
});
