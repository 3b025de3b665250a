import type { PrismaClient } from "@sipario/db";
import { initTRPC, TRPCError } from "@trpc/server";
import type { PerformanceLocker } from "./capacity/capacity.service.ts";
import type { OnlineAdmission } from "./checkin/checkin.service.ts";
import type { AdmissionWriter } from "./checkin/door.service.ts";
import type { AppConfig } from "./config.ts";
import { DomainError, errorData, isDatabaseInputError, isTransientDatabaseError, toTRPCError } from "./errors.ts";
import type { CookieJar, SessionUser } from "./lib/request.ts";
import { getLogger } from "./logger.ts";

export interface Context {
  prisma: PrismaClient;
  config: AppConfig;
  /** The visitor's address (SvelteKit getClientAddress); rate limits key on it. */
  clientAddress: string;
  requestId: string;
  cookies: CookieJar;
  user: SessionUser | null;
  sessionId: string | null;
  /** Unset in production; see GuardOverrides. */
  guards?: GuardOverrides;
}

/**
 * The naive variants of the concurrency guards, which only the race tests' control runs
 * inject (from testing/, through testing/serve.ts) to show each race happening without its
 * guard. Never reachable from configuration: the site and back-office never set them.
 */
export interface GuardOverrides {
  /** How checkin.sync writes an offline admission (default: door.service's atomic writer). */
  admissionWriter?: AdmissionWriter;
  /** How checkin.confirm writes an online admission (default: checkin.service's atomic insert). */
  onlineAdmission?: OnlineAdmission;
  /** How booking.confirm takes the performance's capacity lock (default: lockPerformance). */
  performanceLocker?: PerformanceLocker;
}

/**
 * The most calls one HTTP request may batch. Unbounded, one request carried 1,000 calls
 * and eight of them slowed everyone down (issue 13, finding 12). Our own clients
 * batch at most 4 (site/src/lib/staff/client.ts, maxItems); larger batches answer 400.
 */
export const MAX_BATCH_SIZE = 10;

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    // Never leak internals: a 500's message is generic, the details go to the log.
    const message = error.code === "INTERNAL_SERVER_ERROR" ? "Internal error" : shape.message;
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message, data: { ...data, ...errorData(error) } };
  },
});

/** Converts domain and transient database errors into TRPCErrors, in one place. */
const errorConversion = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof DomainError) {
      (result as { error: TRPCError }).error = toTRPCError(cause);
    } else if (result.error.code === "INTERNAL_SERVER_ERROR" && isTransientDatabaseError(cause ?? result.error)) {
      (result as { error: TRPCError }).error = new TRPCError({
        code: "SERVICE_UNAVAILABLE",
        message: "The database is briefly unavailable. Please try again.",
        cause: result.error,
      });
    } else if (result.error.code === "INTERNAL_SERVER_ERROR" && isDatabaseInputError(cause ?? result.error)) {
      // A second line behind lib/text.ts: bad input the database refused is still bad input.
      (result as { error: TRPCError }).error = new TRPCError({ code: "BAD_REQUEST", message: "The input is not valid.", cause: result.error });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      getLogger().error({ err: cause ?? result.error, path, requestId: ctx.requestId }, "procedure failed");
    }
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;
export const publicProcedure = t.procedure.use(errorConversion);

/** A signed-in user with role staff or admin; hands the handler a non-null user. */
export const staffProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new DomainError("unauthenticated", "Sign in to continue.");
  if (ctx.user.role !== "staff" && ctx.user.role !== "admin") throw new DomainError("forbidden", "Staff only.");
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const adminProcedure = staffProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new DomainError("forbidden", "Admins only.");
  return next({ ctx });
});
