import { Prisma, type PrismaClient } from "@sipario/db";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { getLogger } from "../logger.ts";
import { hashToken } from "../lib/tokens.ts";
import type { SessionUser } from "../lib/request.ts";
import { assertCheckInAllowed, loadByToken, REPEAT_WINDOW_MS, staffLabel, withinPerformanceDay, type TicketState } from "./checkin.service.ts";

/**
 * The door without a network (ADR-0009). A door downloads the manifest of tonight's
 * performances (hashes of ticket tokens, party sizes, states: no personal data), decides
 * scans on its own while offline, and later sends them through `syncScans`. Invariants:
 * - a scan id is received once: the DoorScan primary key refuses a second copy, so a
 *   batch sent twice (or by two server processes at once) changes nothing;
 * - still at most one CheckIn per reservation, whatever arrives: the earliest scannedAt
 *   holds it; every other admission of the same ticket is a conflict, marked on both
 *   scans (each door and the back-office's door report see it);
 * - every write is a conditional statement under a row lock, never read-then-insert.
 */

type DoorConfig = Pick<AppConfig, "TICKET_GRACE_HOURS" | "TIME_ZONE">;

/** Deltas overlap the previous read by this much: a transaction that started before the
 *  cursor was taken but committed after it is still picked up (entries replace by hash). */
export const MANIFEST_OVERLAP_MS = 5 * 60_000;
/** A door's clock may run ahead of the server's by this much. */
export const SCAN_CLOCK_SKEW_MS = 5 * 60_000;
export const MAX_SCANS_PER_SYNC = 500;

export interface ManifestTicket {
  /** Lowercase hex SHA-256 of the raw ticket token, as stored. */
  tokenHash: string;
  partySize: number;
  status: string;
  /** True when the visitor left notes (access needs...): the door stops for a tap. Not the notes. */
  hasNotes: boolean;
  checkedInAt?: string;
  checkedInBy?: string;
}

export interface DoorManifest {
  performanceId: string;
  showTitle: string;
  startsAt: string;
  venue: { name: string };
  /** Pass back as `since` for the next delta. */
  cursor: string;
  /** True for a whole list, false for a delta (entries to merge by tokenHash). */
  full: boolean;
  tickets: ManifestTicket[];
}

const CURSOR = /^v1\.(\d{1,15})$/;
const encodeCursor = (at: Date) => `v1.${at.getTime()}`;
function decodeCursor(cursor: string): Date {
  const m = CURSOR.exec(cursor);
  if (!m) throw new DomainError("invalid_input", "Unknown manifest cursor.");
  return new Date(Number(m[1]));
}

/**
 * The door's offline list for one performance: per ticket token its SHA-256, party size,
 * status and check-in, and nothing that identifies a person (no name, email, phone or
 * notes). With `since` (a previous cursor), only the tickets whose reservation, token or
 * check-in changed after it (with an overlap, see MANIFEST_OVERLAP_MS). Throws not_found,
 * invalid_input (a cursor this server did not make).
 */
export async function doorManifest(prisma: PrismaClient, performanceId: string, since?: string, now = new Date()): Promise<DoorManifest> {
  const changedAfter = since === undefined ? null : new Date(decodeCursor(since).getTime() - MANIFEST_OVERLAP_MS);
  const performance = await prisma.performance.findUnique({
    where: { id: performanceId },
    select: { id: true, startsAt: true, show: { select: { title: true } }, venue: { select: { name: true } } },
  });
  if (!performance) throw new DomainError("not_found", "Performance not found.");
  // The cursor is taken before the read: anything committed after this instant is in the next delta.
  const cursor = encodeCursor(now);
  const rows = await prisma.$queryRaw<
    {
      tokenHash: string;
      partySize: number;
      status: string;
      hasNotes: boolean;
      checkedInAt: Date | null;
      checkedInByName: string | null;
      checkedInByEmail: string | null;
    }[]
  >`
    SELECT t."tokenHash", r."partySize", r."status"::text AS "status",
      (coalesce(btrim(r."notes"), '') <> '') AS "hasNotes",
      c."checkedInAt", u."name" AS "checkedInByName", u."email" AS "checkedInByEmail"
    FROM "ReservationToken" t
    JOIN "Reservation" r ON r."id" = t."reservationId"
    LEFT JOIN "CheckIn" c ON c."reservationId" = r."id"
    LEFT JOIN "User" u ON u."id" = c."checkedInById"
    WHERE r."performanceId" = ${performanceId}::uuid AND t."purpose" = 'check_in'
      AND ${
        changedAfter === null
          ? Prisma.sql`r."status" IN ('confirmed', 'cancelled')`
          : Prisma.sql`(r."updatedAt" >= ${changedAfter} OR t."createdAt" >= ${changedAfter} OR c."updatedAt" >= ${changedAfter})`
      }
    ORDER BY t."tokenHash"`;
  return {
    performanceId: performance.id,
    showTitle: performance.show.title,
    startsAt: performance.startsAt.toISOString(),
    venue: { name: performance.venue.name },
    cursor,
    full: changedAfter === null,
    tickets: rows.map((r) => ({
      tokenHash: r.tokenHash,
      partySize: r.partySize,
      status: r.status,
      hasNotes: r.hasNotes,
      ...(r.checkedInAt
        ? { checkedInAt: r.checkedInAt.toISOString(), checkedInBy: staffLabel({ name: r.checkedInByName ?? "", email: r.checkedInByEmail ?? "" }) }
        : {}),
    })),
  };
}

export interface ScanInput {
  /** Client-generated UUID: the idempotency key. */
  id: string;
  token: string;
  scannedAt: string;
}

export interface SyncResult {
  id: string;
  outcome: "checked_in" | "already_checked_in" | "duplicate" | "refused";
  reason?: string;
  checkedInAt?: string;
  checkedInBy?: string;
  /** The ticket was admitted at more than one door: this person got in twice. */
  conflict?: boolean;
}

/** The current holder of a reservation's CheckIn, as the writer found it under its lock. */
export interface CheckInHolder {
  checkedInAt: Date;
  checkedInById: string;
  checkedInBy: string;
  /** The DoorScan that made it, or null for an online or manual check-in. */
  scanId: string | null;
}

export interface AdmissionClaim {
  scanId: string;
  userId: string;
  reservationId: string;
  tokenHash: string;
  scannedAt: Date;
}

export type AdmissionOutcome =
  /** This scan now holds the CheckIn; `displaced` held it before with a later time. */
  | { kind: "admitted"; checkedInAt: Date; displaced: CheckInHolder | null }
  /** An earlier (or equal) admission holds it. */
  | { kind: "earlier_holder"; holder: CheckInHolder }
  /** The reservation stopped admitting under us (cancelled, token gone): explain afresh. */
  | { kind: "gone" };

/** Decides, inside `tx`, which admission of one reservation holds its single CheckIn. */
export type AdmissionWriter = (tx: Prisma.TransactionClient, claim: AdmissionClaim) => Promise<AdmissionOutcome>;

/**
 * No JOIN under FOR UPDATE: when another door has just taken the CheckIn over (a new
 * checkedInById), READ COMMITTED re-checks the locked row's new version against the User
 * row joined before the wait, the join no longer matches, and the holder would vanish (a
 * scan refused "unavailable" in the door race test). Subqueries in the select list run on
 * the version actually locked.
 */
async function lockedHolder(tx: Prisma.TransactionClient, reservationId: string): Promise<(CheckInHolder & { id: string }) | null> {
  const [row] = await tx.$queryRaw<{ id: string; checkedInAt: Date; checkedInById: string; scanId: string | null; name: string; email: string }[]>`
    SELECT c."id"::text AS "id", c."checkedInAt", c."checkedInById"::text AS "checkedInById", c."scanId"::text AS "scanId",
      (SELECT u."name" FROM "User" u WHERE u."id" = c."checkedInById") AS "name",
      (SELECT u."email" FROM "User" u WHERE u."id" = c."checkedInById") AS "email"
    FROM "CheckIn" c
    WHERE c."reservationId" = ${reservationId}::uuid
    FOR UPDATE`;
  if (!row) return null;
  return { id: row.id, checkedInAt: row.checkedInAt, checkedInById: row.checkedInById, scanId: row.scanId, checkedInBy: staffLabel(row) };
}

/**
 * The production writer. One conditional INSERT ... ON CONFLICT DO NOTHING (re-checking
 * the token and the reservation under a FOR SHARE lock, like confirmCheckIn); if a CheckIn
 * exists, it is locked FOR UPDATE and taken over only when this scan is earlier. Two
 * transactions for one reservation queue on the unique index, then on the row lock.
 */
export const atomicAdmissionWriter: AdmissionWriter = async (tx, claim) => {
  const inserted = await tx.$queryRaw<{ checkedInAt: Date }[]>`
    WITH target AS (
      SELECT r."id" FROM "Reservation" r
      WHERE r."id" = ${claim.reservationId}::uuid AND r."status" = 'confirmed'
        AND EXISTS (SELECT 1 FROM "ReservationToken" t
          WHERE t."tokenHash" = ${claim.tokenHash} AND t."reservationId" = r."id" AND t."purpose" = 'check_in')
      FOR SHARE OF r
    )
    INSERT INTO "CheckIn" ("id", "reservationId", "checkedInAt", "checkedInById", "source", "scanId", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), target."id", ${claim.scannedAt}, ${claim.userId}::uuid, 'qr_scan', ${claim.scanId}::uuid, now(), now() FROM target
    ON CONFLICT ("reservationId") DO NOTHING
    RETURNING "checkedInAt"`;
  if (inserted[0]) return { kind: "admitted", checkedInAt: inserted[0].checkedInAt, displaced: null };

  const holder = await lockedHolder(tx, claim.reservationId);
  if (!holder) return { kind: "gone" };
  if (holder.checkedInAt.getTime() <= claim.scannedAt.getTime()) return { kind: "earlier_holder", holder };
  await tx.$executeRaw`
    UPDATE "CheckIn" SET "checkedInAt" = ${claim.scannedAt}, "checkedInById" = ${claim.userId}::uuid,
      "source" = 'qr_scan', "scanId" = ${claim.scanId}::uuid, "updatedAt" = now()
    WHERE "id" = ${holder.id}::uuid`;
  return { kind: "admitted", checkedInAt: claim.scannedAt, displaced: holder };
};

type Db = PrismaClient | Prisma.TransactionClient;

function refused(id: string, reason: string): SyncResult {
  return { id, outcome: "refused", reason };
}

async function recordScan(
  tx: Db,
  id: string,
  fields: { reservationId: string | null; outcome: "checked_in" | "already_checked_in" | "refused"; reason: string | null; conflict: boolean },
) {
  await tx.$executeRaw`
    UPDATE "DoorScan" SET "reservationId" = ${fields.reservationId}::uuid, "outcome" = ${fields.outcome}::"DoorScanOutcome",
      "reason" = ${fields.reason}, "conflict" = ${fields.conflict}
    WHERE "id" = ${id}::uuid`;
}

/** Marks the other side of a conflict: the scan that held (or still holds) the CheckIn. */
async function markHolderConflict(tx: Db, reservationId: string, holder: CheckInHolder, lostHold: boolean) {
  if (holder.scanId) {
    await tx.$executeRaw`
      UPDATE "DoorScan" SET "conflict" = true ${lostHold ? Prisma.sql`, "outcome" = 'already_checked_in', "reason" = 'earlier_scan_elsewhere'` : Prisma.empty}
      WHERE "id" = ${holder.scanId}::uuid`;
  } else if (lostHold) {
    // An online (or manual) check-in displaced by an earlier offline scan: keep a record of it,
    // or the report would forget that this door let the party in too.
    await tx.$executeRaw`
      INSERT INTO "DoorScan" ("id", "deviceId", "userId", "reservationId", "scannedAt", "receivedAt", "outcome", "reason", "conflict")
      VALUES (gen_random_uuid(), 'online', ${holder.checkedInById}::uuid, ${reservationId}::uuid, ${holder.checkedInAt}, now(),
        'already_checked_in', 'earlier_scan_elsewhere', true)`;
  }
}

/** The same person's online check-in of the same ticket moments apart: one admission, not two. */
function sameAdmission(holder: CheckInHolder, claim: AdmissionClaim): boolean {
  return (
    holder.scanId === null && holder.checkedInById === claim.userId && Math.abs(holder.checkedInAt.getTime() - claim.scannedAt.getTime()) <= REPEAT_WINDOW_MS
  );
}

async function syncOne(
  prisma: PrismaClient,
  staff: SessionUser,
  deviceId: string,
  scan: ScanInput,
  config: DoorConfig,
  now: Date,
  write: AdmissionWriter,
): Promise<SyncResult> {
  const scannedAt = new Date(scan.scannedAt);
  const tokenHash = hashToken(scan.token);
  return prisma.$transaction(
    async (tx) => {
      // The idempotency claim: a second copy of this id (now, or from another process a
      // moment ago) waits for the first to commit, then inserts nothing.
      const claimed = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "DoorScan" ("id", "deviceId", "userId", "scannedAt", "receivedAt", "outcome")
      VALUES (${scan.id}::uuid, ${deviceId}, ${staff.id}::uuid, ${scannedAt}, now(), 'refused')
      ON CONFLICT ("id") DO NOTHING RETURNING "id"::text`;
      if (!claimed[0]) {
        const [before] = await tx.$queryRaw<{ conflict: boolean; reason: string | null }[]>`
        SELECT "conflict", "reason" FROM "DoorScan" WHERE "id" = ${scan.id}::uuid`;
        return { id: scan.id, outcome: "duplicate", ...(before?.reason ? { reason: before.reason } : {}), ...(before?.conflict ? { conflict: true } : {}) };
      }

      let state: TicketState;
      try {
        state = await loadByToken(tx, tokenHash, config);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await recordScan(tx, scan.id, { reservationId: null, outcome: "refused", reason: error.reason, conflict: false });
        return refused(scan.id, error.reason);
      }
      const refuse = async (reason: string) => {
        await recordScan(tx, scan.id, { reservationId: state.reservationId, outcome: "refused", reason, conflict: false });
        return refused(scan.id, reason);
      };
      if (
        scannedAt.getTime() > now.getTime() + SCAN_CLOCK_SKEW_MS ||
        !withinPerformanceDay(state.startsAt, state.timeZone, config.TICKET_GRACE_HOURS, scannedAt)
      ) {
        return refuse("scan_out_of_window");
      }
      // The ticket's rules as they stood when it was scanned; "already checked in" is for the
      // writer to decide (an earlier scan may still arrive), so it is left out here.
      try {
        assertCheckInAllowed({ ...state, checkIn: null }, scannedAt, config);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return refuse(error.reason);
      }

      const claim: AdmissionClaim = { scanId: scan.id, userId: staff.id, reservationId: state.reservationId, tokenHash, scannedAt };
      const outcome = await write(tx, claim);
      if (outcome.kind === "gone") {
        const fresh = await loadByToken(tx, tokenHash, config);
        return refuse(fresh.status !== "confirmed" ? "reservation_not_confirmed" : "unavailable");
      }
      if (outcome.kind === "admitted") {
        const conflict = outcome.displaced !== null && !sameAdmission(outcome.displaced, claim);
        if (conflict) await markHolderConflict(tx, state.reservationId, outcome.displaced!, true);
        await recordScan(tx, scan.id, { reservationId: state.reservationId, outcome: "checked_in", reason: null, conflict });
        getLogger().info({ event: "check_in", reservationId: state.reservationId, userId: staff.id, source: "offline_sync", conflict }, "checked in (synced)");
        return {
          id: scan.id,
          outcome: "checked_in",
          checkedInAt: outcome.checkedInAt.toISOString(),
          checkedInBy: staffLabel(staff),
          ...(conflict ? { conflict: true } : {}),
        };
      }
      const { holder } = outcome;
      if (sameAdmission(holder, claim)) {
        await recordScan(tx, scan.id, { reservationId: state.reservationId, outcome: "checked_in", reason: null, conflict: false });
        return { id: scan.id, outcome: "checked_in", checkedInAt: holder.checkedInAt.toISOString(), checkedInBy: holder.checkedInBy };
      }
      await markHolderConflict(tx, state.reservationId, holder, false);
      await recordScan(tx, scan.id, { reservationId: state.reservationId, outcome: "already_checked_in", reason: null, conflict: true });
      return { id: scan.id, outcome: "already_checked_in", checkedInAt: holder.checkedInAt.toISOString(), checkedInBy: holder.checkedInBy, conflict: true };
      // Several doors syncing one ticket queue on its row lock: a busy server must not time out a scan.
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
}

/**
 * Receives a door's offline scans (each an admission the door made), in order, each in a
 * transaction of its own (one reservation's rows at a time: overlapping batches from
 * several doors cannot deadlock). Answers per scan: checked_in, already_checked_in (an
 * earlier admission holds the ticket: `conflict: true`), duplicate (this id was received
 * before), or refused with a reason (unknown_token, reservation_not_confirmed,
 * token_expired, scan_out_of_window...). `write` is injectable for the race test's control.
 */
export async function syncScans(
  prisma: PrismaClient,
  staff: SessionUser,
  deviceId: string,
  scans: ScanInput[],
  config: DoorConfig,
  options: { now?: Date; write?: AdmissionWriter } = {},
): Promise<{ results: SyncResult[] }> {
  if (scans.length > MAX_SCANS_PER_SYNC) throw new DomainError("invalid_input", `At most ${MAX_SCANS_PER_SYNC} scans per sync.`);
  const now = options.now ?? new Date();
  const write = options.write ?? atomicAdmissionWriter;
  const results: SyncResult[] = [];
  for (const scan of scans) results.push(await syncOne(prisma, staff, deviceId, scan, config, now, write));
  return { results };
}

export interface DoorConflict {
  reservationId: string;
  name: string;
  partySize: number;
  /** Who holds the check-in now (the earliest admission). */
  checkedInAt: string | null;
  checkedInBy: string | null;
  /** Every admission of this ticket that arrived by sync, earliest first. */
  scans: { id: string; deviceId: string; scannedAt: string; by: string; holds: boolean }[];
}

/**
 * Tickets of one performance admitted at more than one door (from synced scans): the
 * door screens and the back-office's door report list them so the staff know someone got
 * in twice. Staff only; names the party, never its email or phone.
 */
export async function doorConflicts(prisma: PrismaClient, performanceId: string): Promise<{ items: DoorConflict[] }> {
  const rows = await prisma.$queryRaw<
    {
      reservationId: string;
      name: string;
      partySize: number;
      checkedInAt: Date | null;
      holderName: string | null;
      holderEmail: string | null;
      holderScanId: string | null;
      scanId: string;
      deviceId: string;
      scannedAt: Date;
      byName: string;
      byEmail: string;
    }[]
  >`
    SELECT r."id"::text AS "reservationId", r."name", r."partySize", c."checkedInAt", hu."name" AS "holderName", hu."email" AS "holderEmail",
      c."scanId"::text AS "holderScanId", s."id"::text AS "scanId", s."deviceId", s."scannedAt", su."name" AS "byName", su."email" AS "byEmail"
    FROM "DoorScan" s
    JOIN "Reservation" r ON r."id" = s."reservationId"
    JOIN "User" su ON su."id" = s."userId"
    LEFT JOIN "CheckIn" c ON c."reservationId" = r."id"
    LEFT JOIN "User" hu ON hu."id" = c."checkedInById"
    WHERE r."performanceId" = ${performanceId}::uuid AND s."conflict"
    ORDER BY r."id", s."scannedAt", s."id"`;
  const byReservation = new Map<string, DoorConflict>();
  for (const row of rows) {
    let item = byReservation.get(row.reservationId);
    if (!item) {
      item = {
        reservationId: row.reservationId,
        name: row.name,
        partySize: row.partySize,
        checkedInAt: row.checkedInAt?.toISOString() ?? null,
        checkedInBy: row.holderName === null ? null : staffLabel({ name: row.holderName, email: row.holderEmail ?? "" }),
        scans: [],
      };
      byReservation.set(row.reservationId, item);
    }
    item.scans.push({
      id: row.scanId,
      deviceId: row.deviceId,
      scannedAt: row.scannedAt.toISOString(),
      by: staffLabel({ name: row.byName, email: row.byEmail }),
      holds: row.holderScanId === row.scanId,
    });
  }
  return { items: [...byReservation.values()] };
}
