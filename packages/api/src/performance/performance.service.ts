import type { Performance, PrismaClient } from "@sipario/db";
import type { z } from "zod";
import { type Actor, actorAudit, diffRecords, recordAudit } from "../audit/audit.service.ts";
import { assertManualSeatsFit, assertSeatsFit, lockPerformance, type SeatField } from "../capacity/capacity.service.ts";
import { withTransaction, type Tx } from "../lib/transaction.ts";
import { invalidatePublicReads } from "../lib/public-read-cache.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { isUuid } from "../lib/ids.ts";
import { getLogger } from "../logger.ts";
import { assertValidBookingWindow } from "../booking/booking-window.ts";
import { holdersToTell } from "../season/season.service.ts";
import { retimeTickets } from "../lib/ticket-time.ts";
import { deliverOffers, offerFreeSeats } from "../waitlist/offers.ts";
import { createPerformanceSchema, updatePerformanceSchema, type CreatePerformanceInput, type UpdatePerformanceInput } from "./performance.schema.ts";

const SEAT_FIELDS: SeatField[] = ["roomCapacity", "additionalSeats", "manuallyOccupiedSeats"];

/** Input checked by `schema`, or invalid_input naming the first field at fault (`details.field`). */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = parsed.error.issues[0]!;
  throw new DomainError("invalid_input", first.message, { field: String(first.path[0] ?? ""), issues });
}

/** The venue's time zone, or invalid_input on the venue field when there is no such venue. */
async function venueZone(tx: Tx, venueId: string): Promise<string> {
  const venue = await tx.venue.findUnique({ where: { id: venueId }, select: { timeZone: true } });
  if (!venue) throw new DomainError("invalid_input", "Choose the venue.", { field: "venueId" });
  return venue.timeZone;
}

async function assertShowExists(tx: Tx, showId: string): Promise<void> {
  if (!(await tx.show.count({ where: { id: showId } }))) throw new DomainError("invalid_input", "Choose the show.", { field: "showId" });
}

/**
 * Creates a performance: show, venue, start, seats, on-sale window and the visitor notes,
 * in one transaction, audited once ("create"). Booking is on unless switched off.
 * Invariants: manually occupied seats fit in room + additional; the window closes no later
 * than the curtain and opens before it closes. Throws invalid_input with `details.field`
 * naming the field at fault (showId, venueId, startsAt, a seat field, a window bound...).
 */
export async function createPerformance(
  prisma: PrismaClient,
  _config: AppConfig,
  input: CreatePerformanceInput,
  options: { actor?: Actor } = {},
): Promise<Performance> {
  const data = parse(createPerformanceSchema, input);
  // A new performance has no confirmed seats yet: only the manual seats must fit.
  assertManualSeatsFit(data);
  assertValidBookingWindow(data.startsAt, data.bookingOpensAt ?? null, data.bookingClosesAt ?? null);
  const created = await withTransaction(prisma, async (tx) => {
    await assertShowExists(tx, data.showId);
    await venueZone(tx, data.venueId);
    const performance = await tx.performance.create({ data });
    await recordAudit(tx, {
      ...actorAudit(options.actor),
      action: "create",
      entity: "Performance",
      entityId: performance.id,
      changes: performance as unknown as Record<string, unknown>,
    });
    return performance;
  });
  invalidatePublicReads(prisma);
  getLogger().info({ performanceId: created.id }, "performance created");
  return created;
}

/**
 * Changes a performance's show, venue, start, seats, booking switch, on-sale window and
 * notes in ONE transaction under the performance lock (the lock confirmations take), so a
 * confirmation cannot slip between the seat check and the write. A new start or venue
 * moves the tickets' validity to the new day in the NEW venue's time zone; while people
 * hold tickets with an email, a new time or place must go through movePerformance (which
 * tells them) and is refused here. Seats freed go to the waiting list first. Audited once
 * ("edit", field by field: { field: { from, to } }); nothing changed, nothing audited.
 * Throws not_found; invalid_input and capacity_below_confirmed with `details.field`.
 */
export async function updatePerformance(
  prisma: PrismaClient,
  config: AppConfig,
  performanceId: string,
  input: UpdatePerformanceInput,
  options: { actor?: Actor; now?: Date } = {},
): Promise<Performance> {
  const patch = parse(updatePerformanceSchema, input);
  if (!isUuid(performanceId)) throw new DomainError("not_found", "Performance not found.");
  const now = options.now ?? new Date();
  const result = await withTransaction(prisma, async (tx) => {
    if (!(await lockPerformance(tx, performanceId))) throw new DomainError("not_found", "Performance not found.");
    const before = await tx.performance.findUniqueOrThrow({ where: { id: performanceId }, include: { venue: { select: { timeZone: true } } } });
    const changed = Object.fromEntries(
      Object.entries(patch).filter(([key, value]) => {
        if (value === undefined) return false;
        const old = before[key as keyof typeof patch];
        return old instanceof Date && value instanceof Date ? old.getTime() !== value.getTime() : old !== value;
      }),
    ) as typeof patch;
    const next = { ...before, ...changed };
    if (changed.showId !== undefined) await assertShowExists(tx, changed.showId);
    const timeZone = changed.venueId !== undefined ? await venueZone(tx, changed.venueId) : before.venue.timeZone;
    const moved = changed.startsAt !== undefined || changed.venueId !== undefined;
    if (moved) {
      const toTell = await holdersToTell(tx, performanceId);
      if (toTell > 0) {
        throw new DomainError(
          "invalid_input",
          `${toTell === 1 ? "1 person holds" : `${toTell} people hold`} tickets: use “Move performance” so they are told the new date and place.`,
          {
            field: changed.startsAt !== undefined ? "startsAt" : "venueId",
            rule: "holders_must_be_told",
            count: toTell,
          },
        );
      }
    }
    if (SEAT_FIELDS.some((f) => changed[f] !== undefined)) {
      // The field the admin changed takes the blame; with several, the room first.
      await assertSeatsFit(
        tx,
        performanceId,
        next,
        SEAT_FIELDS.find((f) => changed[f] !== undefined),
      );
    }
    assertValidBookingWindow(next.startsAt, next.bookingOpensAt, next.bookingClosesAt);
    if (Object.keys(changed).length === 0) return { performance: before, offers: [] };
    const { venue: _venue, ...previous } = before;
    const performance = await tx.performance.update({ where: { id: performanceId }, data: changed });
    if (moved) await retimeTickets(tx, performanceId, { startsAt: performance.startsAt, venue: { timeZone } }, config);
    await recordAudit(tx, {
      ...actorAudit(options.actor),
      action: "edit",
      entity: "Performance",
      entityId: performanceId,
      changes: diffRecords(previous, performance),
    });
    // Seats added or released go to the waiting list first, under this same lock.
    return { performance, offers: await offerFreeSeats(tx, config, performanceId, now) };
  });
  deliverOffers(prisma, config, result.offers);
  invalidatePublicReads(prisma);
  const { venue: _venue, ...performance } = result.performance as Performance & { venue?: unknown };
  return performance;
}
