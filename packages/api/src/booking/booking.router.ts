import { TRPCError } from "@trpc/server";
import { RATE_LIMITS, consumeRateLimits } from "../rate-limit/rate-limit.service.ts";
import { hashToken } from "../lib/tokens.ts";
import { publicProcedure, router } from "../trpc.ts";
import {
  bookingSummarySchema,
  confirmBookingSchema,
  createBookingSchema,
  createBookingSchemaFor,
  describeBookingSchema,
  resendConfirmationSchema,
} from "./booking.schema.ts";
import { confirmReservation, createReservation, describeConfirmation } from "./booking.service.ts";
import { bookingSummary, resendOwnConfirmation } from "./receipt.service.ts";

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
  /** The "check your email" page: the booking this browser just made, named by its receipt. NOT_FOUND. */
  summary: publicProcedure.input(bookingSummarySchema).query(({ ctx, input }) => bookingSummary(ctx.prisma, ctx.config, input.receipt, input.locale)),
  /** A new confirmation link for that booking, at most once a minute: TOO_MANY_REQUESTS rate_limited. */
  resend: publicProcedure.input(resendConfirmationSchema).mutation(({ ctx, input }) => resendOwnConfirmation(ctx.prisma, ctx.config, input.receipt)),
  confirm: publicProcedure.input(confirmBookingSchema).mutation(async ({ ctx, input }) => {
    await consumeRateLimits(ctx.prisma, ctx.config.RATE_LIMITS, [{ key: `confirm:addr:${ctx.clientAddress}`, rule: RATE_LIMITS.confirmPerAddress }]);
    const r = await confirmReservation(ctx.prisma, ctx.config, input.token, new Date(), { lock: ctx.guards?.performanceLocker });
    return { reservationId: r.reservationId, status: r.status, partySize: r.partySize, ticketUrl: r.ticketUrl };
  }),
});
