import { TRPCError } from "@trpc/server";
import { RATE_LIMITS, consumeRateLimits } from "../rate-limit/rate-limit.service.ts";
import { hashToken } from "../lib/tokens.ts";
import { publicProcedure, router } from "../trpc.ts";
import { confirmBookingSchema, createBookingSchema, createBookingSchemaFor, describeBookingSchema } from "./booking.schema.ts";
import { confirmReservation, createReservation, describeConfirmation } from "./booking.service.ts";

export const bookingRouter = router({
  /** What the confirmation page shows before the visitor confirms; changes nothing. */
  describe: publicProcedure.input(describeBookingSchema).query(({ ctx, input }) => describeConfirmation(ctx.prisma, input.token, new Date(), input.locale)),
  create: publicProcedure
    .use(async ({ ctx, getRawInput, next }) => {
      const checked = createBookingSchemaFor(ctx.config.MAX_PARTY_SIZE).safeParse(await getRawInput());
      if (!checked.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid input", cause: checked.error });
      return next();
    })
    .input(createBookingSchema)
    .mutation(async ({ ctx, input }) => {
      await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [
        { key: `booking:addr:${ctx.clientAddress}`, rule: RATE_LIMITS.bookingPerAddress },
        // Keyed on a hash: the bucket table never holds the address itself.
        { key: `booking:email:${hashToken(input.email).slice(0, 32)}`, rule: RATE_LIMITS.bookingPerEmail },
      ]);
      const r = await createReservation(ctx.prisma, ctx.config, input);
      return { reservationId: r.reservationId, status: r.status, performanceId: r.performanceId, partySize: r.partySize };
    }),
  confirm: publicProcedure.input(confirmBookingSchema).mutation(async ({ ctx, input }) => {
    await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [{ key: `confirm:addr:${ctx.clientAddress}`, rule: RATE_LIMITS.confirmPerAddress }]);
    const r = await confirmReservation(ctx.prisma, ctx.config, input.token, new Date(), { lock: ctx.guards?.performanceLocker });
    return { reservationId: r.reservationId, status: r.status, partySize: r.partySize, ticketUrl: r.ticketUrl };
  }),
});
