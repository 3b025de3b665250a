import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { authRouter } from "./auth/auth.router.ts";
import { checkinRouter } from "./checkin/checkin.router.ts";
import { bookingRouter } from "./booking/booking.router.ts";
import { catalogueRouter } from "./catalogue/catalogue.router.ts";
import { contentRouter } from "./content/content.router.ts";
import { healthRouter } from "./health/health.router.ts";
import { ticketsRouter } from "./tickets/tickets.router.ts";
import { waitlistRouter } from "./waitlist/waitlist.router.ts";
import { createCallerFactory, router } from "./trpc.ts";

export const appRouter = router({
  health: healthRouter,
  catalogue: catalogueRouter,
  content: contentRouter,
  booking: bookingRouter,
  tickets: ticketsRouter,
  auth: authRouter,
  checkin: checkinRouter,
  waitlist: waitlistRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
