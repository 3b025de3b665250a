import type { PrismaClient } from "@sipario/db";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import { withTransaction } from "../lib/transaction.ts";
import { invalidatePublicReads } from "../lib/public-read-cache.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { instantOfWallClock, safeTimeZone } from "../lib/ticket-time.ts";
import { performanceRunSchema, type PerformanceRunInput } from "./season.schema.ts";

/** At most this many performances in one run (a year of daily shows). */
export const MAX_RUN_LENGTH = 366;
const DAY = 86_400_000;

export interface PerformanceRunPlan {
  timeZone: string;
  /** The start of each performance, in order, without repeats. */
  startsAt: Date[];
}

function parse(rawInput: PerformanceRunInput) {
  const parsed = performanceRunSchema.safeParse(rawInput);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new DomainError("invalid_input", first?.message ?? "Check the dates.", {
      field: String(first?.path[0] ?? "dates"),
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return parsed.data;
}

const numbers = (text: string) => text.split(/[-T: ]/).map(Number) as [number, number, number, number?, number?];

/**
 * The dates a run would have, read in the venue's time zone (wall clock, so 21:00 stays
 * 21:00 across a daylight-saving change). Nothing is written. Throws invalid_input (bad
 * or past dates, an empty or too long run, an unknown show or venue).
 */
export async function planPerformanceRun(
  prisma: PrismaClient,
  config: Pick<AppConfig, "TIME_ZONE">,
  rawInput: PerformanceRunInput,
  now = new Date(),
): Promise<PerformanceRunPlan> {
  const input = parse(rawInput);
  const [show, venue] = await Promise.all([
    prisma.show.findUnique({ where: { id: input.showId }, select: { id: true } }),
    prisma.venue.findUnique({ where: { id: input.venueId }, select: { timeZone: true } }),
  ]);
  if (!show) throw new DomainError("invalid_input", "Unknown show.", { field: "showId" });
  if (!venue) throw new DomainError("invalid_input", "Unknown venue.", { field: "venueId" });
  const timeZone = safeTimeZone(venue.timeZone, config.TIME_ZONE);
  const starts = new Map<number, Date>();
  const add = (y: number, m: number, d: number, h: number, min: number) => {
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
      throw new DomainError("invalid_input", `There is no ${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}.`, { field: "dates" });
    }
    const instant = instantOfWallClock(y, m, d, h, min, timeZone);
    starts.set(instant.getTime(), instant);
  };
  for (const line of input.dates) {
    const [y, m, d, h = 0, min = 0] = numbers(line);
    add(y, m, d, h, min);
  }
  if (input.every) {
    const [fy, fm, fd] = numbers(input.every.from);
    const [ty, tm, td] = numbers(input.every.to);
    const [h, min] = input.every.time.split(":").map(Number) as [number, number];
    const first = Date.UTC(fy, fm - 1, fd);
    const last = Date.UTC(ty, tm - 1, td);
    if (last < first) throw new DomainError("invalid_input", "The last date comes before the first.", { field: "every" });
    if ((last - first) / DAY > 2 * MAX_RUN_LENGTH) throw new DomainError("invalid_input", "A run can last at most two years.", { field: "every" });
    const weekdays = new Set(input.every.weekdays);
    for (let day = first; day <= last; day += DAY) {
      const date = new Date(day);
      const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
      if (weekdays.has(isoWeekday)) add(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), h, min);
    }
  }
  const startsAt = [...starts.values()].sort((a, b) => a.getTime() - b.getTime());
  if (startsAt.length === 0) throw new DomainError("invalid_input", "No date falls on the chosen weekdays.", { field: "every" });
  if (startsAt.length > MAX_RUN_LENGTH) throw new DomainError("invalid_input", `At most ${MAX_RUN_LENGTH} performances at once.`, { field: "dates" });
  if (startsAt[0]!.getTime() <= now.getTime()) throw new DomainError("invalid_input", "Every date must be in the future.", { field: "dates" });
  return { timeZone, startsAt };
}

/**
 * Creates a run of performances in one transaction (all or none), the same show, venue and
 * seats, on the dates planPerformanceRun gives. Audited once with the count and the dates.
 * Throws what planPerformanceRun throws.
 */
export async function createPerformanceRun(
  prisma: PrismaClient,
  config: Pick<AppConfig, "TIME_ZONE">,
  rawInput: PerformanceRunInput,
  options: { actor?: Actor; now?: Date } = {},
): Promise<{ created: number; performanceIds: string[]; startsAt: Date[] }> {
  const plan = await planPerformanceRun(prisma, config, rawInput, options.now);
  const input = parse(rawInput);
  const created = await withTransaction(prisma, async (tx) => {
    const rows = await tx.performance.createManyAndReturn({
      data: plan.startsAt.map((startsAt) => ({
        showId: input.showId,
        venueId: input.venueId,
        startsAt,
        roomCapacity: input.roomCapacity,
        additionalSeats: input.additionalSeats,
        isBookingEnabled: input.isBookingEnabled,
      })),
      select: { id: true },
    });
    await recordAudit(tx, {
      ...actorAudit(options.actor),
      action: "performance.run",
      entity: "Show",
      entityId: input.showId,
      changes: { venueId: input.venueId, created: rows.length, startsAt: plan.startsAt.map((d) => d.toISOString()) },
    });
    return rows.map((r) => r.id);
  });
  invalidatePublicReads(prisma);
  return { created: created.length, performanceIds: created, startsAt: plan.startsAt };
}
