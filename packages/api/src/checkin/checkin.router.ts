import { consumeRateLimits, RATE_LIMITS } from "../rate-limit/rate-limit.service.ts";
import { router, staffProcedure } from "../trpc.ts";
import {
  checkInTokenInputSchema,
  doorStatsInputSchema,
  manifestInputSchema,
  manualCheckInInputSchema,
  searchInputSchema,
  syncInputSchema,
  undoInputSchema,
} from "./checkin.schema.ts";
import { doorConflicts, doorManifest, syncScans } from "./door.service.ts";
import { undoCheckIn } from "./undo.service.ts";
import { confirmCheckIn, doorList, doorStats, manualCheckIn, performancesToday, previewCheckIn, searchReservations } from "./checkin.service.ts";

/** Scans and searches count per staff member: a stolen session cannot brute-force tickets. */
const limitedStaffProcedure = staffProcedure.use(async ({ ctx, next }) => {
  await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [{ key: `checkin:user:${ctx.user.id}`, rule: RATE_LIMITS.checkinPerUser }]);
  return next();
});

export const checkinRouter = router({
  preview: limitedStaffProcedure
    .input(checkInTokenInputSchema)
    .query(({ ctx, input }) => previewCheckIn(ctx.prisma, input.token, ctx.config, new Date(), { performanceId: input.performanceId })),

  confirm: limitedStaffProcedure
    .input(checkInTokenInputSchema)
    .mutation(({ ctx, input }) =>
      confirmCheckIn(ctx.prisma, input.token, ctx.user, ctx.config, new Date(), { performanceId: input.performanceId }, { admit: ctx.guards?.onlineAdmission }),
    ),

  manual: limitedStaffProcedure
    .input(manualCheckInInputSchema)
    .mutation(({ ctx, input }) => manualCheckIn(ctx.prisma, input.reservationId, ctx.user, ctx.config)),

  // Its own bucket: a staff member who searches a lot still scans (finding 6 of issue 13).
  search: staffProcedure
    .use(async ({ ctx, next }) => {
      await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [{ key: `checkin-search:user:${ctx.user.id}`, rule: RATE_LIMITS.searchPerUser }]);
      return next();
    })
    .input(searchInputSchema)
    .query(({ ctx, input }) => searchReservations(ctx.prisma, ctx.config, input.performanceId, input.q)),

  /** Today's whole door list (names, sizes, notes, arrived): filtered on the phone. */
  doorList: limitedStaffProcedure.input(doorStatsInputSchema).query(({ ctx, input }) => doorList(ctx.prisma, ctx.config, input.performanceId)),

  // Polled every few seconds by each door: not rate limited per scan.
  doorStats: staffProcedure.input(doorStatsInputSchema).query(({ ctx, input }) => doorStats(ctx.prisma, input.performanceId)),

  performancesToday: staffProcedure.query(({ ctx }) => performancesToday(ctx.prisma, ctx.config)),

  /** Undo within a few minutes by whoever made it; later, admins only (undo.service.ts). */
  undo: limitedStaffProcedure.input(undoInputSchema).mutation(({ ctx, input }) => undoCheckIn(ctx.prisma, input.reservationId, ctx.user)),

  // The offline door (ADR-0009): the ticket list as hashes, and the scans made without a network.
  manifest: staffProcedure
    .use(async ({ ctx, next }) => {
      await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [{ key: `checkin-manifest:user:${ctx.user.id}`, rule: RATE_LIMITS.manifestPerUser }]);
      return next();
    })
    .input(manifestInputSchema)
    .query(({ ctx, input }) => doorManifest(ctx.prisma, input.performanceId, input.since)),

  sync: staffProcedure
    .use(async ({ ctx, next }) => {
      await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [{ key: `checkin-sync:user:${ctx.user.id}`, rule: RATE_LIMITS.syncPerUser }]);
      return next();
    })
    .input(syncInputSchema)
    .mutation(({ ctx, input }) => syncScans(ctx.prisma, ctx.user, input.deviceId, input.scans, ctx.config, { write: ctx.guards?.admissionWriter })),

  /** Tickets admitted at two doors (from synced scans): shown at every door. */
  conflicts: staffProcedure.input(doorStatsInputSchema).query(({ ctx, input }) => doorConflicts(ctx.prisma, input.performanceId)),
});
