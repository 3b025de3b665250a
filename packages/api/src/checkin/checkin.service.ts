import { Prisma, type PrismaClient, type ReservationStatus } from "@sipario/db";
import type { AppConfig } from "../config.ts";
import { performanceSeatSummary } from "../capacity/capacity.service.ts";
import { isUuid } from "../lib/ids.ts";
import { DomainError } from "../errors.ts";
import { getLogger } from "../logger.ts";
import { localDate, safeTimeZone, ticketExpiry } from "../lib/ticket-time.ts";
import { hashToken } from "../lib/tokens.ts";
import type { SessionUser } from "../lib/request.ts";

/**
 * Entrance check-in (ADR-0006, booking flow section 5). Invariants:
 * - at most one CheckIn per reservation, however many scans arrive at once: the write is
 *   one conditional INSERT ... ON CONFLICT DO NOTHING that re-validates token, reservation
 *   and performance in the same statement (never read-then-insert);
 * - a repeat scan answers `already_checked_in` with when and by whom, except a retry by
 *   the same staff member shortly after their own success, which answers that success
 *   again (`repeated: true`) so a confirm whose answer was lost can be retried safely;
 * - tickets work only on the performance's local day (plus TICKET_GRACE_HOURS);
 * - given the performance the door is scanning for, a ticket for another one answers
 *   `wrong_performance` (with that ticket's show and time) before anything else.
 * The door sees the party's name and notes (access needs, a late arrival), never the
 * email or phone.
 */

type CheckInConfig = Pick<AppConfig, "TICKET_GRACE_HOURS" | "TIME_ZONE">;

/** How long a staff member's own retry gets the original answer back instead of an error. */
export const REPEAT_WINDOW_MS = 2 * 60_000;

export interface CheckInPreview {
  status: "valid";
  reservationId: string;
  performanceId: string;
  showTitle: string;
  venueName: string;
  startsAt: string;
  partySize: number;
  /** The party's name and the notes its visitor typed: what the door needs to greet them. */
  name: string;
  notes: string | null;
}

/** What the door may pass along with a scan. */
export interface ScanContext {
  /** The performance this door is admitting: a ticket for another one is `wrong_performance`. */
  performanceId?: string;
}

export interface CheckInResult {
  status: "checked_in";
  reservationId: string;
  performanceId: string;
  showTitle: string;
  startsAt: string;
  partySize: number;
  name: string;
  notes: string | null;
  checkedInAt: string;
  /** Name of the staff member who let the party in. */
  checkedInBy: string;
  /** True when this answers a retry of the caller's own earlier check-in. */
  repeated: boolean;
}

export interface TicketState {
  reservationId: string;
  status: ReservationStatus;
  partySize: number;
  name: string;
  notes: string | null;
  performanceId: string;
  startsAt: Date;
  showTitle: string;
  venueName: string;
  timeZone: string;
  /** Null for a manual check-in (no token involved). */
  tokenExpiresAt: Date | null;
  checkIn: { checkedInAt: Date; checkedInById: string; checkedInBy: string } | null;
}

// Every scan reads this: one hand-written statement (Prisma's nested select compiles to the
// same joins at several times the client-side CPU per call; docs/performance.md).
const STATE_COLUMNS = Prisma.sql`r."id"::text AS "reservationId", r."status"::text AS "status", r."partySize", r."name", r."notes",
  p."id"::text AS "performanceId", p."startsAt", s."title" AS "showTitle", v."name" AS "venueName", v."timeZone",
  c."checkedInAt", c."checkedInById"::text AS "checkedInById", u."name" AS "checkedInByName", u."email" AS "checkedInByEmail"`;
const STATE_JOINS = Prisma.sql`JOIN "Performance" p ON p."id" = r."performanceId"
  JOIN "Show" s ON s."id" = p."showId"
  JOIN "Venue" v ON v."id" = p."venueId"
  LEFT JOIN "CheckIn" c ON c."reservationId" = r."id"
  LEFT JOIN "User" u ON u."id" = c."checkedInById"`;

/** A row of STATE_COLUMNS: the ticket state, with the check-in flattened. */
type StateRow = Omit<TicketState, "tokenExpiresAt" | "checkIn"> & {
  checkedInAt: Date | null;
  checkedInById: string | null;
  checkedInByName: string | null;
  checkedInByEmail: string | null;
};

function toState(r: StateRow, tokenExpiresAt: Date | null, config: CheckInConfig): TicketState {
  return {
    reservationId: r.reservationId,
    status: r.status,
    partySize: r.partySize,
    name: r.name,
    notes: r.notes,
    performanceId: r.performanceId,
    startsAt: r.startsAt,
    showTitle: r.showTitle,
    venueName: r.venueName,
    timeZone: safeTimeZone(r.timeZone, config.TIME_ZONE),
    tokenExpiresAt,
    checkIn:
      r.checkedInAt && r.checkedInById
        ? {
            checkedInAt: r.checkedInAt,
            checkedInById: r.checkedInById,
            checkedInBy: staffLabel({ name: r.checkedInByName ?? "", email: r.checkedInByEmail ?? "" }),
          }
        : null,
  };
}

export function staffLabel(user: { name: string; email: string }): string {
  return user.name.trim() || user.email;
}

export async function loadByToken(prisma: Pick<PrismaClient, "$queryRaw">, tokenHash: string, config: CheckInConfig): Promise<TicketState> {
  const [row] = await prisma.$queryRaw<(StateRow & { purpose: string; tokenExpiresAt: Date })[]>`
    SELECT t."purpose"::text AS "purpose", t."expiresAt" AS "tokenExpiresAt", ${STATE_COLUMNS}
    FROM "ReservationToken" t JOIN "Reservation" r ON r."id" = t."reservationId" ${STATE_JOINS}
    WHERE t."tokenHash" = ${tokenHash}`;
  // A confirmation-link token is not a ticket: same answer as a token we never issued.
  if (!row || row.purpose !== "check_in") throw new DomainError("unknown_token", "This is not a valid ticket.");
  return toState(row, row.tokenExpiresAt, config);
}

async function loadByReservation(prisma: PrismaClient, reservationId: string, config: CheckInConfig): Promise<TicketState> {
  const [row] = isUuid(reservationId)
    ? await prisma.$queryRaw<StateRow[]>`
        SELECT ${STATE_COLUMNS} FROM "Reservation" r ${STATE_JOINS} WHERE r."id" = ${reservationId}::uuid`
    : [];
  if (!row) throw new DomainError("not_found", "Reservation not found.");
  return toState(row, null, config);
}

function yyyyMmDd(d: { year: number; month: number; day: number }): string {
  return `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

// A performance's day and ticket expiry are pure functions of (start, zone, grace) and
// every scan asks for them: remembered, bounded (a season has a few hundred performances).
const MAX_REMEMBERED_DAYS = 2_000;
const performanceDays = new Map<string, { day: string; ticketsExpireAt: number }>();
function performanceDay(startsAt: Date, timeZone: string, graceHours: number) {
  const key = `${startsAt.getTime()}|${timeZone}|${graceHours}`;
  let day = performanceDays.get(key);
  if (!day) {
    day = { day: yyyyMmDd(localDate(startsAt, timeZone)), ticketsExpireAt: ticketExpiry(startsAt, timeZone, graceHours).getTime() };
    if (performanceDays.size >= MAX_REMEMBERED_DAYS) performanceDays.clear();
    performanceDays.set(key, day);
  }
  return day;
}

// Today's local date, asked by every scan. Zones change offset on whole minutes, so one
// answer holds for the rest of the minute.
const today = { minute: -1, timeZone: "", day: "" };
function localDayOf(now: Date, timeZone: string): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (today.minute !== minute || today.timeZone !== timeZone) {
    Object.assign(today, { minute, timeZone, day: yyyyMmDd(localDate(now, timeZone)) });
  }
  return today.day;
}

/** True while `now` falls on the performance's local day (or in the grace hours after it). */
export function withinPerformanceDay(startsAt: Date, timeZone: string, graceHours: number, now: Date): boolean {
  const performance = performanceDay(startsAt, timeZone, graceHours);
  if (now.getTime() >= performance.ticketsExpireAt) return false;
  return localDayOf(now, timeZone) >= performance.day;
}

function alreadyCheckedIn(checkIn: NonNullable<TicketState["checkIn"]>): DomainError {
  return new DomainError("already_checked_in", "This ticket has already been used.", {
    checkedInAt: checkIn.checkedInAt.toISOString(),
    checkedInBy: checkIn.checkedInBy,
  });
}

/** Throws `wrong_performance` when the door scans for another performance than the ticket's. */
export function assertRightPerformance(state: TicketState, scan: ScanContext): void {
  if (scan.performanceId && scan.performanceId !== state.performanceId) {
    throw new DomainError("wrong_performance", "This ticket is for another performance.", {
      showTitle: state.showTitle,
      startsAt: state.startsAt.toISOString(),
    });
  }
}

/** Throws the first rule the ticket breaks, in the order staff find most useful. */
export function assertCheckInAllowed(state: TicketState, now: Date, config: CheckInConfig): void {
  if (state.status !== "confirmed") {
    throw new DomainError("reservation_not_confirmed", "This reservation is not confirmed.", { status: state.status });
  }
  if (state.checkIn) throw alreadyCheckedIn(state.checkIn);
  if (state.tokenExpiresAt && state.tokenExpiresAt.getTime() <= now.getTime()) {
    throw new DomainError("token_expired", "This ticket has expired.", { startsAt: state.startsAt.toISOString() });
  }
  if (!withinPerformanceDay(state.startsAt, state.timeZone, config.TICKET_GRACE_HOURS, now)) {
    throw new DomainError("wrong_day", "This ticket is for another day.", {
      startsAt: state.startsAt.toISOString(),
      performanceDate: yyyyMmDd(localDate(state.startsAt, state.timeZone)),
    });
  }
}

function repeatOf(state: TicketState, staff: SessionUser, now: Date): CheckInResult | null {
  const c = state.checkIn;
  if (!c || c.checkedInById !== staff.id || now.getTime() - c.checkedInAt.getTime() > REPEAT_WINDOW_MS) return null;
  return result(state, c.checkedInAt, c.checkedInBy, true);
}

function result(state: TicketState, checkedInAt: Date, checkedInBy: string, repeated: boolean): CheckInResult {
  return {
    status: "checked_in",
    reservationId: state.reservationId,
    performanceId: state.performanceId,
    showTitle: state.showTitle,
    startsAt: state.startsAt.toISOString(),
    partySize: state.partySize,
    name: state.name,
    notes: state.notes,
    checkedInAt: checkedInAt.toISOString(),
    checkedInBy,
    repeated,
  };
}

/**
 * What the door needs to admit a party, without writing anything: the party's name and
 * notes, never its email or phone. Throws unknown_token, wrong_performance (showTitle,
 * startsAt), reservation_not_confirmed (status), already_checked_in (checkedInAt,
 * checkedInBy), token_expired, wrong_day.
 */
export async function previewCheckIn(
  prisma: PrismaClient,
  token: string,
  config: CheckInConfig,
  now = new Date(),
  scan: ScanContext = {},
): Promise<CheckInPreview> {
  const state = await loadByToken(prisma, hashToken(token), config);
  assertRightPerformance(state, scan);
  assertCheckInAllowed(state, now, config);
  return {
    status: "valid",
    reservationId: state.reservationId,
    performanceId: state.performanceId,
    showTitle: state.showTitle,
    venueName: state.venueName,
    startsAt: state.startsAt.toISOString(),
    partySize: state.partySize,
    name: state.name,
    notes: state.notes,
  };
}

/**
 * Records the entrance of the ticket's party. Atomic (see the module note); throws the
 * same errors as previewCheckIn.
 */
export async function confirmCheckIn(
  prisma: PrismaClient,
  token: string,
  staff: SessionUser,
  config: CheckInConfig,
  now = new Date(),
  scan: ScanContext = {},
  options: { admit?: OnlineAdmission | undefined } = {},
): Promise<CheckInResult> {
  const tokenHash = hashToken(token);
  // A naive writer injected by a race test's control run takes the two-step road below.
  if (scan.performanceId && !options.admit) {
    const admitted = await admitAtOnce(prisma, tokenHash, staff, scan.performanceId, config, now);
    if (admitted) return admitted;
  }
  return checkIn(prisma, staff, config, now, "qr_scan", tokenHash, () => loadByToken(prisma, tokenHash, config), scan, options);
}

/**
 * Checks in a confirmed reservation found by the door search (the visitor's phone died).
 * Same atomic rule and errors as confirmCheckIn; NOT_FOUND for an unknown reservation.
 */
export async function manualCheckIn(
  prisma: PrismaClient,
  reservationId: string,
  staff: SessionUser,
  config: CheckInConfig,
  now = new Date(),
): Promise<CheckInResult> {
  return checkIn(prisma, staff, config, now, "manual", null, () => loadByReservation(prisma, reservationId, config));
}

/** What an online admission writes: the claim of one party's single CheckIn. */
export interface OnlineAdmissionClaim {
  reservationId: string;
  /** The performance's start as the caller read it: a moved performance no longer matches. */
  startsAt: Date;
  /** The scanned token's hash, or null for a manual check-in from the door list. */
  tokenHash: string | null;
  staffId: string;
  source: "qr_scan" | "manual";
}

/**
 * Writes an online admission if the party may still enter and nobody has; answers the new
 * check-in's time, or null when nothing was written. Injectable so the race test's control
 * run can show what a naive writer costs (testing/unsafe-checkin.ts).
 */
export type OnlineAdmission = (prisma: PrismaClient, claim: OnlineAdmissionClaim) => Promise<Date | null>;

/**
 * The production writer. The caller's read only chooses the error message; this statement
 * decides. It re-checks the token, the reservation status and the performance time, locks
 * the reservation row FOR SHARE (so a cancellation in flight either commits first and wins,
 * or waits for us), and inserts unless a CheckIn already exists: concurrent scans queue on
 * the unique index and all but one do nothing.
 */
export const atomicOnlineAdmission: OnlineAdmission = async (prisma, claim) => {
  const rows = await prisma.$queryRaw<{ checkedInAt: Date }[]>`
    WITH target AS (
      SELECT r."id" FROM "Reservation" r
      JOIN "Performance" p ON p."id" = r."performanceId"
      WHERE r."id" = ${claim.reservationId}::uuid
        AND r."status" = 'confirmed'
        AND p."startsAt" = ${claim.startsAt.toISOString()}::timestamptz
        AND (${claim.tokenHash}::text IS NULL OR EXISTS (
          SELECT 1 FROM "ReservationToken" t
          WHERE t."tokenHash" = ${claim.tokenHash}::text AND t."reservationId" = r."id"
            AND t."purpose" = 'check_in' AND t."expiresAt" > now()))
      FOR SHARE OF r
    )
    INSERT INTO "CheckIn" ("id", "reservationId", "checkedInAt", "checkedInById", "source", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), target."id", now(), ${claim.staffId}::uuid, ${claim.source}::"CheckInSource", now(), now() FROM target
    ON CONFLICT ("reservationId") DO NOTHING
    RETURNING "checkedInAt"`;
  return rows[0]?.checkedInAt ?? null;
};

/** Where and when a door's performance takes place, as the one-statement scan needs it. */
interface DoorPerformance {
  startsAt: Date;
  timeZone: string;
  /** When this copy is to be read again (a moved performance shows up within a minute). */
  freshUntil: number;
}

const DOOR_PERFORMANCE_TTL_MS = 60_000;
const doorPerformances = new Map<string, DoorPerformance>();

async function doorPerformance(prisma: PrismaClient, performanceId: string, config: CheckInConfig, now: Date): Promise<DoorPerformance | null> {
  const known = doorPerformances.get(performanceId);
  if (known && known.freshUntil > now.getTime()) return known;
  const [row] = await prisma.$queryRaw<{ startsAt: Date; timeZone: string }[]>`
    SELECT p."startsAt", v."timeZone" FROM "Performance" p JOIN "Venue" v ON v."id" = p."venueId" WHERE p."id" = ${performanceId}::uuid`;
  if (!row) return null;
  if (doorPerformances.size >= MAX_REMEMBERED_DAYS) doorPerformances.clear();
  const fresh = { startsAt: row.startsAt, timeZone: safeTimeZone(row.timeZone, config.TIME_ZONE), freshUntil: now.getTime() + DOOR_PERFORMANCE_TTL_MS };
  doorPerformances.set(performanceId, fresh);
  return fresh;
}

/**
 * The common case at a door in one statement (issue 19: an online scan is one round trip):
 * a valid, unused ticket for the door's performance, on its day. The statement re-checks
 * the token, the reservation, the performance and its start (as the door's copy has it: a
 * moved performance inserts nothing) under FOR SHARE, inserts ON CONFLICT DO NOTHING, the
 * same guard as atomicOnlineAdmission, and returns what the door shows. Anything else
 * (already in, a repeat, another performance, a wrong day, an unknown or expired token)
 * answers null, and checkIn takes the two-step road that explains it.
 */
async function admitAtOnce(
  prisma: PrismaClient,
  tokenHash: string,
  staff: SessionUser,
  performanceId: string,
  config: CheckInConfig,
  now: Date,
): Promise<CheckInResult | null> {
  if (!isUuid(performanceId)) return null;
  const door = await doorPerformance(prisma, performanceId, config, now);
  if (!door || !withinPerformanceDay(door.startsAt, door.timeZone, config.TICKET_GRACE_HOURS, now)) return null;
  const [row] = await prisma.$queryRaw<
    { reservationId: string; partySize: number; name: string; notes: string | null; showTitle: string; checkedInAt: Date }[]
  >`
    WITH target AS (
      SELECT r."id", r."partySize", r."name", r."notes", s."title" AS "showTitle"
      FROM "ReservationToken" t
      JOIN "Reservation" r ON r."id" = t."reservationId"
      JOIN "Performance" p ON p."id" = r."performanceId"
      JOIN "Show" s ON s."id" = p."showId"
      WHERE t."tokenHash" = ${tokenHash} AND t."purpose" = 'check_in' AND t."expiresAt" > now()
        AND r."status" = 'confirmed' AND r."performanceId" = ${performanceId}::uuid
        AND p."startsAt" = ${door.startsAt.toISOString()}::timestamptz
      FOR SHARE OF r
    ),
    admitted AS (
      INSERT INTO "CheckIn" ("id", "reservationId", "checkedInAt", "checkedInById", "source", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), target."id", now(), ${staff.id}::uuid, 'qr_scan', now(), now() FROM target
      ON CONFLICT ("reservationId") DO NOTHING
      RETURNING "reservationId", "checkedInAt"
    )
    SELECT target."id"::text AS "reservationId", target."partySize", target."name", target."notes", target."showTitle", admitted."checkedInAt"
    FROM target JOIN admitted ON admitted."reservationId" = target."id"`;
  if (!row) return null;
  getLogger().info({ event: "check_in", reservationId: row.reservationId, userId: staff.id, source: "qr_scan" }, "checked in");
  return {
    status: "checked_in",
    reservationId: row.reservationId,
    performanceId,
    showTitle: row.showTitle,
    startsAt: door.startsAt.toISOString(),
    partySize: row.partySize,
    name: row.name,
    notes: row.notes,
    checkedInAt: row.checkedInAt.toISOString(),
    checkedInBy: staffLabel(staff),
    repeated: false,
  };
}

async function checkIn(
  prisma: PrismaClient,
  staff: SessionUser,
  config: CheckInConfig,
  now: Date,
  source: "qr_scan" | "manual",
  tokenHash: string | null,
  load: () => Promise<TicketState>,
  scan: ScanContext = {},
  options: { admit?: OnlineAdmission | undefined } = {},
): Promise<CheckInResult> {
  const state = await load();
  assertRightPerformance(state, scan);
  const repeat = repeatOf(state, staff, now);
  if (repeat) return repeat;
  assertCheckInAllowed(state, now, config);

  const admit = options.admit ?? atomicOnlineAdmission;
  const checkedInAt = await admit(prisma, { reservationId: state.reservationId, startsAt: state.startsAt, tokenHash, staffId: staff.id, source });
  if (checkedInAt) {
    getLogger().info({ event: "check_in", reservationId: state.reservationId, userId: staff.id, source }, "checked in");
    return result(state, checkedInAt, staffLabel(staff), false);
  }

  // Someone else won, or the reservation changed under us: explain with fresh state.
  const fresh = await load();
  const again = repeatOf(fresh, staff, new Date());
  if (again) return again;
  assertCheckInAllowed(fresh, new Date(), config);
  throw new DomainError("unavailable", "The ticket changed while checking in. Please scan again.");
}

export interface DoorStats {
  performanceId: string;
  capacity: number;
  confirmedParties: number;
  confirmedSeats: number;
  checkedInParties: number;
  checkedInPeople: number;
  toArriveParties: number;
  toArrivePeople: number;
}

/** Door numbers of one performance, shared by every door (read fresh each call). Throws not_found. */
export async function doorStats(prisma: PrismaClient, performanceId: string): Promise<DoorStats> {
  const [summary, confirmedParties] = await Promise.all([
    performanceSeatSummary(prisma, [performanceId]),
    prisma.reservation.count({ where: { performanceId, status: "confirmed" } }),
  ]);
  const s = summary.get(performanceId);
  if (!s) throw new DomainError("not_found", "Performance not found.");
  return {
    performanceId,
    capacity: s.capacity,
    confirmedParties,
    confirmedSeats: s.confirmedSeats,
    checkedInParties: s.checkedInParties,
    checkedInPeople: s.checkedInPeople,
    toArriveParties: Math.max(0, confirmedParties - s.checkedInParties),
    toArrivePeople: Math.max(0, s.confirmedSeats - s.checkedInPeople),
  };
}

/** Performances whose local day is today (or still in their grace hours): the door picks one. */
export async function performancesToday(prisma: PrismaClient, config: CheckInConfig, now = new Date()) {
  const span = (config.TICKET_GRACE_HOURS + 48) * 3_600_000;
  const rows = await prisma.performance.findMany({
    where: { startsAt: { gte: new Date(now.getTime() - span), lte: new Date(now.getTime() + 48 * 3_600_000) } },
    orderBy: { startsAt: "asc" },
    select: { id: true, startsAt: true, show: { select: { title: true } }, venue: { select: { name: true, city: true, timeZone: true } } },
  });
  const items = rows
    .filter((p) => withinPerformanceDay(p.startsAt, safeTimeZone(p.venue.timeZone, config.TIME_ZONE), config.TICKET_GRACE_HOURS, now))
    .map((p) => ({
      id: p.id,
      startsAt: p.startsAt.toISOString(),
      showTitle: p.show.title,
      venue: { name: p.venue.name, city: p.venue.city },
    }));
  return { items };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Throws unless the performance is on today's door: its local day (or the grace hours
 * after it), as performancesToday lists them. NOT_FOUND for an unknown performance,
 * `wrong_day` for any other day. The door's name searches and lists answer for tonight only.
 */
export async function assertPerformanceToday(prisma: PrismaClient, config: CheckInConfig, performanceId: string, now = new Date()): Promise<void> {
  const performance = isUuid(performanceId)
    ? await prisma.performance.findUnique({ where: { id: performanceId }, select: { startsAt: true, venue: { select: { timeZone: true } } } })
    : null;
  if (!performance) throw new DomainError("not_found", "Performance not found.");
  const timeZone = safeTimeZone(performance.venue.timeZone, config.TIME_ZONE);
  if (!withinPerformanceDay(performance.startsAt, timeZone, config.TICKET_GRACE_HOURS, now)) {
    throw new DomainError("wrong_day", "The door searches today's performances only.", {
      startsAt: performance.startsAt.toISOString(),
      performanceDate: yyyyMmDd(localDate(performance.startsAt, timeZone)),
    });
  }
}

/**
 * Confirmed reservations of one of today's performances (assertPerformanceToday) whose
 * name contains `q`, or, when `q` is an email, whose email is exactly `q`
 * (case-insensitive), for the visitor without a phone. Never a partial email match: one
 * used to rebuild a whole address a character at a time. Staff only; returns the name
 * and party size, never the email, phone or notes. At most 20 rows.
 */
export async function searchReservations(prisma: PrismaClient, config: CheckInConfig, performanceId: string, q: string, now = new Date()) {
  await assertPerformanceToday(prisma, config, performanceId, now);
  const query = q.trim();
  const match = query.includes("@") ? Prisma.sql`lower(r."email") = lower(${query})` : Prisma.sql`r."name" ILIKE ('%' || ${escapeLike(query)} || '%')`;
  const rows = await prisma.$queryRaw<{ id: string; name: string; partySize: number; checkedInAt: Date | null }[]>`
    SELECT r."id"::text AS "id", r."name", r."partySize", c."checkedInAt"
    FROM "Reservation" r
    LEFT JOIN "CheckIn" c ON c."reservationId" = r."id"
    WHERE r."performanceId" = ${performanceId}::uuid
      AND r."status" = 'confirmed'
      AND r."anonymizedAt" IS NULL
      AND ${match}
    ORDER BY lower(r."name"), r."id"
    LIMIT 20`;
  return {
    items: rows.map((r) => ({
      reservationId: r.id,
      name: r.name,
      partySize: r.partySize,
      checkedIn: r.checkedInAt !== null,
      checkedInAt: r.checkedInAt?.toISOString() ?? null,
    })),
  };
}

export interface DoorListItem {
  reservationId: string;
  name: string;
  partySize: number;
  notes: string | null;
  checkedInAt: string | null;
}

/**
 * Tonight's whole door list for one of today's performances (assertPerformanceToday):
 * every confirmed party with its name, size, the notes its visitor typed and whether it
 * has arrived, sorted by name. Staff only; never the email or phone. The scanner filters
 * it on the phone from one letter.
 */
export async function doorList(prisma: PrismaClient, config: CheckInConfig, performanceId: string, now = new Date()): Promise<{ items: DoorListItem[] }> {
  await assertPerformanceToday(prisma, config, performanceId, now);
  const rows = await prisma.$queryRaw<{ id: string; name: string; partySize: number; notes: string | null; checkedInAt: Date | null }[]>`
    SELECT r."id"::text AS "id", r."name", r."partySize", r."notes", c."checkedInAt"
    FROM "Reservation" r LEFT JOIN "CheckIn" c ON c."reservationId" = r."id"
    WHERE r."performanceId" = ${performanceId}::uuid AND r."status" = 'confirmed' AND r."anonymizedAt" IS NULL
    ORDER BY lower(r."name"), r."id"`;
  return {
    items: rows.map((r) => ({
      reservationId: r.id,
      name: r.name,
      partySize: r.partySize,
      notes: r.notes?.trim() ? r.notes : null,
      checkedInAt: r.checkedInAt?.toISOString() ?? null,
    })),
  };
}
