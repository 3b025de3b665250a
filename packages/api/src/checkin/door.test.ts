import { randomUUID } from "node:crypto";
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCaller, testConfig } from "../testing/index.ts";
import { hashToken } from "../lib/tokens.ts";
import type { SessionUser } from "../lib/request.ts";
import { expectReason, staffWithSession, ticket } from "./checkin.fixtures.ts";
import { atomicAdmissionWriter, MAX_SCANS_PER_SYNC } from "./door.service.ts";

// The offline door's server half (ADR-0009) against a real PostgreSQL: the manifest, its
// deltas, checkin.sync (idempotency, earliest wins, refusals), wrong_performance and undo.
let db: TestDatabase;
let anna: SessionUser;
let bruno: SessionUser;
let admin: SessionUser;
const config = testConfig();
const MINUTE = 60_000;

beforeAll(async () => {
  db = await createTestDatabase();
  anna = (await staffWithSession(db.prisma, "staff", "Anna Door")).user;
  bruno = (await staffWithSession(db.prisma, "staff", "Bruno Door")).user;
  admin = (await staffWithSession(db.prisma, "admin", "Marco Admin")).user;
});
afterAll(async () => {
  await db?.drop();
});

const as = (user: SessionUser) => testCaller(db.prisma, { user, config });
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
const scan = (token: string, minutesAgo: number) => ({ id: randomUUID(), token, scannedAt: ago(minutesAgo) });

/** Resolves once some other session of this database is waiting on a row lock (polls pg_stat_activity). */
async function waitForLockWait() {
  for (let attempt = 0; attempt < 500; attempt++) {
    const [row] = await db.prisma.$queryRaw<{ waiting: number }[]>`
      SELECT count(*)::int AS "waiting" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row!.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no session ever waited on the lock");
}

/** Makes every row of a performance look an hour old, so a delta taken now starts clean. */
async function ageRows(performanceId: string) {
  const hourAgo = new Date(Date.now() - 60 * MINUTE);
  await db.prisma.reservation.updateMany({ where: { performanceId }, data: { updatedAt: hourAgo } });
  await db.prisma.reservationToken.updateMany({ where: { reservation: { performanceId } }, data: { createdAt: hourAgo } });
  await db.prisma.checkIn.updateMany({ where: { reservation: { performanceId } }, data: { updatedAt: hourAgo } });
}

describe("checkin.manifest", () => {
  it("lists each ticket as its token's SHA-256, party size, status and check-in: no personal data", async () => {
    const first = await ticket(db.prisma, { partySize: 3, name: "Giulia Verdi", email: "giulia.verdi@example.org" });
    const { performanceId } = first;
    await db.prisma.reservation.update({ where: { id: first.reservation.id }, data: { phone: "+39 333 7654321", notes: "Sedia a rotelle" } });
    const cancelled = await ticket(db.prisma, { performanceId, status: "cancelled", name: "Paolo Neri" });
    const inside = await ticket(db.prisma, { performanceId, partySize: 1, name: "Sofia Bruno" });
    await as(anna).checkin.confirm({ token: inside.token });
    const elsewhere = await ticket(db.prisma, { name: "Other Show" }); // another performance

    const manifest = await as(anna).checkin.manifest({ performanceId });
    const perf = await db.prisma.performance.findUniqueOrThrow({ where: { id: performanceId }, include: { show: true, venue: true } });
    expect(manifest).toMatchObject({ performanceId, startsAt: perf.startsAt.toISOString(), venue: { name: perf.venue.name }, full: true });
    expect(manifest.cursor).toMatch(/^v1\.\d+$/);
    const byHash = new Map(manifest.tickets.map((t) => [t.tokenHash, t]));
    expect(byHash.size).toBe(3);
    expect(byHash.get(hashToken(first.token))).toEqual({ tokenHash: hashToken(first.token), partySize: 3, status: "confirmed", hasNotes: true });
    expect(byHash.get(hashToken(cancelled.token))).toMatchObject({ status: "cancelled" });
    expect(byHash.get(hashToken(inside.token))).toMatchObject({ status: "confirmed", checkedInBy: "Anna Door" });
    expect(byHash.get(hashToken(inside.token))!.checkedInAt).toMatch(/^\d{4}-/);
    expect(byHash.has(hashToken(elsewhere.token))).toBe(false);

    // Nothing that identifies a visitor, and no raw token, anywhere in the answer.
    const text = JSON.stringify(manifest);
    for (const secret of ["Giulia", "Verdi", "giulia.verdi@example.org", "7654321", "Sedia", "Paolo", first.token, inside.token]) {
      expect(text).not.toContain(secret);
    }
    for (const t of manifest.tickets) {
      expect(Object.keys(t).sort()).toEqual(expect.arrayContaining(["hasNotes", "partySize", "status", "tokenHash"]));
      expect(Object.keys(t).every((k) => ["tokenHash", "partySize", "status", "hasNotes", "checkedInAt", "checkedInBy"].includes(k))).toBe(true);
    }
  });

  it("with a cursor, returns only what changed since: cancelled, checked in, newly issued", async () => {
    const kept = await ticket(db.prisma);
    const { performanceId } = kept;
    const toCancel = await ticket(db.prisma, { performanceId });
    const toAdmit = await ticket(db.prisma, { performanceId });
    await ageRows(performanceId);
    const full = await as(anna).checkin.manifest({ performanceId });
    expect(full.tickets).toHaveLength(3);

    const unchanged = await as(anna).checkin.manifest({ performanceId, since: full.cursor });
    expect(unchanged).toMatchObject({ full: false, tickets: [] });

    await db.prisma.reservation.update({ where: { id: toCancel.reservation.id }, data: { status: "cancelled", cancelledAt: new Date() } });
    await as(bruno).checkin.confirm({ token: toAdmit.token });
    const added = await ticket(db.prisma, { performanceId, partySize: 4 });
    const delta = await as(anna).checkin.manifest({ performanceId, since: full.cursor });
    expect(delta.full).toBe(false);
    const changed = new Map(delta.tickets.map((t) => [t.tokenHash, t]));
    expect([...changed.keys()].sort()).toEqual([hashToken(toCancel.token), hashToken(toAdmit.token), hashToken(added.token)].sort());
    expect(changed.get(hashToken(toCancel.token))!.status).toBe("cancelled");
    expect(changed.get(hashToken(toAdmit.token))!.checkedInBy).toBe("Bruno Door");
    expect(changed.get(hashToken(added.token))).toMatchObject({ status: "confirmed", partySize: 4 });
  });

  it("refuses a cursor it did not make, and an unknown performance", async () => {
    const { performanceId } = await ticket(db.prisma);
    await expectReason(as(anna).checkin.manifest({ performanceId, since: "yesterday" }), "BAD_REQUEST", "invalid_input");
    await expectReason(as(anna).checkin.manifest({ performanceId: randomUUID() }), "NOT_FOUND", "not_found");
  });
});

describe("checkin.sync", () => {
  it("checks in offline scans; re-sending the batch changes nothing (duplicate per id)", async () => {
    const a = await ticket(db.prisma, { partySize: 2 });
    const b = await ticket(db.prisma, { performanceId: a.performanceId, partySize: 3 });
    const scans = [scan(a.token, 10), scan(b.token, 8)];
    const first = await as(anna).checkin.sync({ deviceId: "door-anna-1", scans });
    expect(first.results.map((r) => [r.id, r.outcome, r.conflict])).toEqual([
      [scans[0]!.id, "checked_in", undefined],
      [scans[1]!.id, "checked_in", undefined],
    ]);
    expect(first.results[0]).toMatchObject({ checkedInAt: scans[0]!.scannedAt, checkedInBy: "Anna Door" });
    const rows = await db.prisma.checkIn.findMany({ where: { reservationId: { in: [a.reservation.id, b.reservation.id] } } });
    expect(rows).toHaveLength(2);
    // The check-in time is when the door scanned, not when the network came back.
    expect(rows.find((r) => r.reservationId === a.reservation.id)!.checkedInAt.toISOString()).toBe(scans[0]!.scannedAt);

    const scansBefore = await db.prisma.doorScan.count();
    const again = await as(anna).checkin.sync({ deviceId: "door-anna-1", scans });
    expect(again.results.map((r) => r.outcome)).toEqual(["duplicate", "duplicate"]);
    expect(await db.prisma.doorScan.count()).toBe(scansBefore);
    expect(await db.prisma.checkIn.count({ where: { reservationId: { in: [a.reservation.id, b.reservation.id] } } })).toBe(2);
  });

  it("two doors admitted one ticket: the earliest scan wins whatever arrives first; both sides are conflicts", async () => {
    const t = await ticket(db.prisma, { partySize: 2, name: "Elena Costa" });
    const later = scan(t.token, 5);
    const earlier = scan(t.token, 20);
    const latest = scan(t.token, 1);

    // The later scan reaches the server first and holds the ticket for now.
    expect((await as(anna).checkin.sync({ deviceId: "door-anna-2", scans: [later] })).results[0]).toMatchObject({ outcome: "checked_in" });
    // The earlier one arrives: it takes the check-in over; it is a conflict for both.
    const b = await as(bruno).checkin.sync({ deviceId: "door-bruno-2", scans: [earlier] });
    expect(b.results[0]).toMatchObject({ outcome: "checked_in", conflict: true, checkedInAt: earlier.scannedAt, checkedInBy: "Bruno Door" });
    const checkIn = await db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: t.reservation.id } });
    expect(checkIn).toMatchObject({ checkedInById: bruno.id, scanId: earlier.id });
    expect(checkIn.checkedInAt.toISOString()).toBe(earlier.scannedAt);
    expect(await db.prisma.doorScan.findUniqueOrThrow({ where: { id: later.id } })).toMatchObject({ outcome: "already_checked_in", conflict: true });

    // A third, later scan loses to the earliest.
    const c = await as(anna).checkin.sync({ deviceId: "door-anna-3", scans: [latest] });
    expect(c.results[0]).toMatchObject({ outcome: "already_checked_in", conflict: true, checkedInAt: earlier.scannedAt, checkedInBy: "Bruno Door" });
    expect(await db.prisma.checkIn.count({ where: { reservationId: t.reservation.id } })).toBe(1);

    // Every door (and the back-office) can list it: the party, who holds it, each scan.
    const { items } = await as(anna).checkin.conflicts({ performanceId: t.performanceId });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      reservationId: t.reservation.id,
      name: "Elena Costa",
      partySize: 2,
      checkedInBy: "Bruno Door",
      checkedInAt: earlier.scannedAt,
    });
    expect(items[0]!.scans.map((s) => [s.id, s.deviceId, s.holds])).toEqual([
      [earlier.id, "door-bruno-2", true],
      [later.id, "door-anna-2", false],
      [latest.id, "door-anna-3", false],
    ]);
  });

  it("an offline scan earlier than an online check-in takes it over, and the online one is kept in the report", async () => {
    const t = await ticket(db.prisma);
    await as(anna).checkin.confirm({ token: t.token });
    const offline = scan(t.token, 30);
    const r = await as(bruno).checkin.sync({ deviceId: "door-bruno-4", scans: [offline] });
    expect(r.results[0]).toMatchObject({ outcome: "checked_in", conflict: true });
    const { items } = await as(anna).checkin.conflicts({ performanceId: t.performanceId });
    expect(items[0]!.scans.map((s) => [s.deviceId, s.by, s.holds])).toEqual([
      ["door-bruno-4", "Bruno Door", true],
      ["online", "Anna Door", false],
    ]);
  });

  it("a holder taken over by another door while this scan waits for its lock is still found (no JOIN under FOR UPDATE)", async () => {
    const t = await ticket(db.prisma);
    await as(anna).checkin.confirm({ token: t.token });
    const claim = {
      scanId: randomUUID(),
      userId: admin.id,
      reservationId: t.reservation.id,
      tokenHash: hashToken(t.token),
      scannedAt: new Date(Date.now() - 40 * MINUTE),
    };
    let waiting: Promise<Awaited<ReturnType<typeof atomicAdmissionWriter>>> | undefined;
    // Door A locks the CheckIn; this scan's writer finds it taken and queues on that lock; A
    // hands it to Bruno and commits; the writer must see Bruno as the holder, not "gone".
    await db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "CheckIn" WHERE "reservationId" = ${t.reservation.id}::uuid FOR UPDATE`;
      waiting = db.prisma.$transaction((other) => atomicAdmissionWriter(other, claim));
      await waitForLockWait();
      await tx.checkIn.update({
        where: { reservationId: t.reservation.id },
        data: { checkedInById: bruno.id, checkedInAt: new Date(Date.now() - 20 * MINUTE) },
      });
    });
    const outcome = await waiting!;
    expect(outcome).toMatchObject({ kind: "admitted", displaced: { checkedInById: bruno.id, checkedInBy: "Bruno Door" } });
  });

  it("the same person's online confirm whose answer was lost, then queued offline, is one admission", async () => {
    const t = await ticket(db.prisma);
    await as(anna).checkin.confirm({ token: t.token });
    const r = await as(anna).checkin.sync({ deviceId: "door-anna-5", scans: [{ id: randomUUID(), token: t.token, scannedAt: new Date().toISOString() }] });
    expect(r.results[0]).toMatchObject({ outcome: "checked_in" });
    expect(r.results[0]!.conflict).toBeUndefined();
    expect((await as(anna).checkin.conflicts({ performanceId: t.performanceId })).items).toEqual([]);
  });

  it("a ticket cancelled after the door downloaded the list is refused at sync, and never checked in", async () => {
    const t = await ticket(db.prisma);
    const before = await as(anna).checkin.manifest({ performanceId: t.performanceId });
    expect(before.tickets.find((x) => x.tokenHash === hashToken(t.token))!.status).toBe("confirmed");
    await db.prisma.reservation.update({ where: { id: t.reservation.id }, data: { status: "cancelled", cancelledAt: new Date() } });
    const r = await as(anna).checkin.sync({ deviceId: "door-anna-6", scans: [scan(t.token, 2)] });
    expect(r.results[0]).toMatchObject({ outcome: "refused", reason: "reservation_not_confirmed" });
    expect(await db.prisma.checkIn.count({ where: { reservationId: t.reservation.id } })).toBe(0);
    const after = await as(anna).checkin.manifest({ performanceId: t.performanceId, since: before.cursor });
    expect(after.tickets.find((x) => x.tokenHash === hashToken(t.token))!.status).toBe("cancelled");
  });

  it("refuses unknown tokens and scan times outside the performance's day", async () => {
    const t = await ticket(db.prisma);
    const r = await as(anna).checkin.sync({
      deviceId: "door-anna-7",
      scans: [
        { id: randomUUID(), token: "A".repeat(43), scannedAt: ago(1) },
        { id: randomUUID(), token: t.token, scannedAt: ago(3 * 24 * 60) },
        { id: randomUUID(), token: t.token, scannedAt: new Date(Date.now() + 3 * 3_600_000).toISOString() },
      ],
    });
    expect(r.results.map((x) => [x.outcome, x.reason])).toEqual([
      ["refused", "unknown_token"],
      ["refused", "scan_out_of_window"],
      ["refused", "scan_out_of_window"],
    ]);
    expect(await db.prisma.checkIn.count({ where: { reservationId: t.reservation.id } })).toBe(0);
  });

  it("is bounded: at most 500 scans, well-formed ids and tokens, no unknown keys", async () => {
    const t = await ticket(db.prisma);
    const many = Array.from({ length: MAX_SCANS_PER_SYNC + 1 }, () => scan(t.token, 1));
    await expectReason(as(anna).checkin.sync({ deviceId: "door-anna-8", scans: many }), "BAD_REQUEST", "invalid_input");
    await expectReason(as(anna).checkin.sync({ deviceId: "door-anna-8", scans: [{ ...scan(t.token, 1), id: "1" }] }), "BAD_REQUEST", "invalid_input");
    await expectReason(
      as(anna).checkin.sync({ deviceId: "door-anna-8", scans: [{ ...scan(t.token, 1), partySize: 9 } as never] }),
      "BAD_REQUEST",
      "invalid_input",
    );
    expect(await db.prisma.doorScan.count({ where: { deviceId: "door-anna-8" } })).toBe(0);
  });
});

describe("checkin.preview/confirm with the door's performance", () => {
  it("admits in one statement, and a performance moved after the door's first scan is followed at the next", async () => {
    const perf = await factories.performance(db.prisma, { startsAt: new Date() });
    const first = await ticket(db.prisma, { performanceId: perf.id, name: "Prima Persona", partySize: 3 });
    const second = await ticket(db.prisma, { performanceId: perf.id });
    const admitted = await as(anna).checkin.confirm({ token: first.token, performanceId: perf.id });
    expect(admitted).toMatchObject({
      status: "checked_in",
      name: "Prima Persona",
      partySize: 3,
      performanceId: perf.id,
      checkedInBy: "Anna Door",
      repeated: false,
    });
    expect(admitted.startsAt).toBe(perf.startsAt.toISOString());
    // Anna's own retry answers her success again; Bruno is told who let them in.
    expect(await as(anna).checkin.confirm({ token: first.token, performanceId: perf.id })).toMatchObject({ repeated: true });
    await expectReason(as(bruno).checkin.confirm({ token: first.token, performanceId: perf.id }), "CONFLICT", "already_checked_in");
    // Moved to next week while the door was open: the door's copy of the start no longer
    // matches, and the ticket is refused for its (new) day, not admitted.
    await db.prisma.performance.update({ where: { id: perf.id }, data: { startsAt: new Date(Date.now() + 7 * 24 * 3_600_000) } });
    await expectReason(as(anna).checkin.confirm({ token: second.token, performanceId: perf.id }), "PRECONDITION_FAILED", "wrong_day");
    expect(await db.prisma.checkIn.count({ where: { reservationId: second.reservation.id } })).toBe(0);
  });

  it("a ticket for another performance is wrong_performance, naming that show and time; nothing is written", async () => {
    const show = await factories.show(db.prisma, { title: "La locandiera" });
    const ticketPerf = await factories.performance(db.prisma, { showId: show.id, startsAt: new Date() });
    const t = await ticket(db.prisma, { performanceId: ticketPerf.id });
    const doorPerf = await factories.performance(db.prisma, { startsAt: new Date() });
    for (const call of [
      as(anna).checkin.preview({ token: t.token, performanceId: doorPerf.id }),
      as(anna).checkin.confirm({ token: t.token, performanceId: doorPerf.id }),
    ]) {
      const data = await expectReason(call, "CONFLICT", "wrong_performance");
      expect(data).toMatchObject({ showTitle: "La locandiera", startsAt: ticketPerf.startsAt.toISOString() });
    }
    expect(await db.prisma.checkIn.count({ where: { reservationId: t.reservation.id } })).toBe(0);
    // The right performance admits it.
    expect(await as(anna).checkin.confirm({ token: t.token, performanceId: ticketPerf.id })).toMatchObject({ status: "checked_in" });
  });
});

describe("checkin.doorList", () => {
  it("lists every confirmed party with name, size, notes and arrival; no email or phone", async () => {
    const a = await ticket(db.prisma, { name: "Zeno Bianchi", email: "zeno@example.org", partySize: 2 });
    await db.prisma.reservation.update({ where: { id: a.reservation.id }, data: { phone: "+39 333 1112223", notes: "Arriva tardi" } });
    const b = await ticket(db.prisma, { performanceId: a.performanceId, name: "Alba Rossi", partySize: 1 });
    await ticket(db.prisma, { performanceId: a.performanceId, name: "Cancellata", status: "cancelled" });
    await as(anna).checkin.confirm({ token: b.token });
    const { items } = await as(anna).checkin.doorList({ performanceId: a.performanceId });
    expect(items.map((i) => [i.name, i.partySize, i.notes, i.checkedInAt !== null])).toEqual([
      ["Alba Rossi", 1, null, true],
      ["Zeno Bianchi", 2, "Arriva tardi", false],
    ]);
    expect(JSON.stringify(items)).not.toMatch(/zeno@example\.org|1112223/);
  });
});

describe("checkin.undo", () => {
  it("the same staff member can undo within minutes; later, or someone else's, only an admin", async () => {
    const mine = await ticket(db.prisma);
    await as(anna).checkin.confirm({ token: mine.token });
    const manifest = await as(anna).checkin.manifest({ performanceId: mine.performanceId });
    await expectReason(as(bruno).checkin.undo({ reservationId: mine.reservation.id }), "CONFLICT", "undo_not_allowed");
    expect(await as(anna).checkin.undo({ reservationId: mine.reservation.id })).toMatchObject({ reservationId: mine.reservation.id, checkedInBy: "Anna Door" });
    expect(await db.prisma.checkIn.count({ where: { reservationId: mine.reservation.id } })).toBe(0);
    expect(await db.prisma.auditLog.count({ where: { action: "checkin.undo", entityId: mine.reservation.id } })).toBe(1);
    // Doors learn it in their next delta: the ticket is valid again.
    const delta = await as(anna).checkin.manifest({ performanceId: mine.performanceId, since: manifest.cursor });
    const entry = delta.tickets.find((x) => x.tokenHash === hashToken(mine.token))!;
    expect(entry.status).toBe("confirmed");
    expect(entry.checkedInAt).toBeUndefined();
    await expectReason(as(anna).checkin.undo({ reservationId: mine.reservation.id }), "NOT_FOUND", "not_found");

    const old = await ticket(db.prisma);
    await as(anna).checkin.confirm({ token: old.token });
    await db.prisma.checkIn.update({ where: { reservationId: old.reservation.id }, data: { updatedAt: new Date(Date.now() - 6 * MINUTE) } });
    const data = await expectReason(as(anna).checkin.undo({ reservationId: old.reservation.id }), "CONFLICT", "undo_not_allowed");
    expect(data).toMatchObject({ checkedInBy: "Anna Door" });
    expect(await as(admin).checkin.undo({ reservationId: old.reservation.id })).toMatchObject({ checkedInBy: "Anna Door" });
  });
});
