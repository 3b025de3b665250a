import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelReservation } from "../cancellation/cancellation.service.ts";
import { performanceSeatSummary } from "../capacity/capacity.service.ts";
import { updatePerformanceCapacity } from "../performance/capacity-edit.service.ts";
import type { AppConfig } from "../config.ts";
import { flushImmediateDeliveries } from "../mail/outbox.service.ts";
import { cancelPerformance } from "../season/season.service.ts";
import { testCaller, testConfig } from "../testing/index.ts";
import { anonymizeOldWaitlistEntries, closeStartedWaitlists, lapseExpiredOffers } from "./offers.ts";
import { listWaitlist, moveWaitlistEntry, offerWaitlistEntryNow, removeWaitlistEntry } from "./waitlist.service.ts";

const ORIGIN = "https://teatro.example.org";
let db: TestDatabase;
let config: AppConfig;
let caller: ReturnType<typeof testCaller>;

beforeAll(async () => {
  db = await createTestDatabase();
  config = testConfig({ ORIGIN, RATE_LIMITS: "false" });
  caller = testCaller(db.prisma, { config });
});
afterAll(async () => {
  await flushImmediateDeliveries();
  await db?.drop();
});

/** A performance whose seats are all taken by confirmed holders of the given party sizes. */
async function soldOut(parties: number[], extra: { roomCapacity?: number } = {}) {
  const capacity = extra.roomCapacity ?? parties.reduce((a, b) => a + b, 0);
  const p = await factories.performance(db.prisma, { roomCapacity: capacity });
  const holders = [];
  for (const partySize of parties) {
    holders.push(await factories.reservation(db.prisma, { performanceId: p.id, status: "confirmed", partySize, confirmedAt: new Date() }));
  }
  return { performance: p, holders };
}

/** The newest email of `kind` to `to`, with the raw tokens its links carry. */
async function lastEmail(kind: string, to: string) {
  const row = await db.prisma.emailOutbox.findFirst({ where: { kind, toAddress: to }, orderBy: { createdAt: "desc" } });
  if (!row) throw new Error(`no ${kind} email to ${to}`);
  const payload = row.payload as { text: string; html: string };
  const waitlistToken = payload.text.match(new RegExp(`${ORIGIN}/waitlist/([A-Za-z0-9_-]+)`))?.[1] ?? null;
  const confirmToken = payload.text.match(new RegExp(`${ORIGIN}/confirm/([A-Za-z0-9_-]+)`))?.[1] ?? null;
  return { row, subject: row.subject, text: payload.text, waitlistToken, confirmToken };
}

let emailCounter = 0;
/** Joins and verifies; returns the entry's verification token. */
async function waiting(performanceId: string, partySize: number, locale: "it" | "en" = "it") {
  const email = `waiter-${++emailCounter}@example.org`;
  await caller.waitlist.join({ performanceId, name: `Waiter ${emailCounter}`, email, partySize, locale });
  const token = (await lastEmail("waitlist_verify", email)).waitlistToken!;
  const confirmed = await caller.waitlist.confirm({ token });
  return { email, token, confirmed };
}

async function entryOf(email: string) {
  return db.prisma.waitlistEntry.findFirstOrThrow({ where: { email }, orderBy: { createdAt: "desc" } });
}

const reasonOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string; reason?: string; cause?: { reason?: string } }) =>
      e.cause?.reason ?? e.reason ?? (e.code === "BAD_REQUEST" ? "invalid_input" : String(e)),
  );

describe("joining the waiting list", () => {
  it("a verified sign-up: the link's page changes nothing until the POST, then the entry has a position; emails in the sign-up language", async () => {
    const { performance } = await soldOut([4]);
    const email = "anna@example.org";
    expect(await caller.waitlist.join({ performanceId: performance.id, name: "Anna", email, partySize: 2, locale: "en" })).toEqual({ status: "pending" });
    const verify = await lastEmail("waitlist_verify", email);
    expect(verify.subject).toMatch(/^Confirm your place on the waiting list/);
    expect(verify.waitlistToken).toBeTruthy();

    // Reading the status (what the GET page does) twice changes nothing.
    for (let i = 0; i < 2; i++) {
      expect(await caller.waitlist.status({ token: verify.waitlistToken! })).toMatchObject({ status: "pending", canConfirm: true, position: null });
    }
    expect((await entryOf(email)).status).toBe("pending");

    expect(await caller.waitlist.confirm({ token: verify.waitlistToken! })).toEqual({ status: "waiting", position: 1 });
    const position = await lastEmail("waitlist_position", email);
    expect(position.subject).toMatch(/^You are on the waiting list/);
    expect(position.text).toContain("position 1");
    expect(position.waitlistToken).toBe(verify.waitlistToken);
    expect(await reasonOf(caller.waitlist.confirm({ token: verify.waitlistToken! }))).toBe("token_used");

    // A second sign-up: Italian by default, position 2.
    const second = await waiting(performance.id, 1);
    expect(second.confirmed).toEqual({ status: "waiting", position: 2 });
    expect((await lastEmail("waitlist_position", second.email)).subject).toMatch(/^Sei in lista d'attesa/);
    expect(await caller.waitlist.status({ token: verify.waitlistToken! })).toMatchObject({ status: "waiting", position: 1, canLeave: true });
  });

  it("one active entry per email and performance: joining again sends a link, not a second entry", async () => {
    const { performance } = await soldOut([2]);
    const input = { performanceId: performance.id, name: "Bea", email: "bea@example.org", partySize: 2 };
    await caller.waitlist.join(input);
    await caller.waitlist.join(input); // still pending: a fresh verification link replaces the first
    expect(await db.prisma.waitlistEntry.count({ where: { performanceId: performance.id } })).toBe(1);
    const token = (await lastEmail("waitlist_verify", input.email)).waitlistToken!;
    await caller.waitlist.confirm({ token });
    expect(await caller.waitlist.join(input)).toEqual({ status: "pending" });
    expect(await db.prisma.waitlistEntry.count({ where: { performanceId: performance.id } })).toBe(1);
    const again = await lastEmail("waitlist_status", input.email);
    expect(await caller.waitlist.status({ token: again.waitlistToken! })).toMatchObject({ status: "waiting", position: 1 });
    // After leaving, the same email may join again.
    await caller.waitlist.leave({ token });
    await caller.waitlist.join(input);
    expect(await db.prisma.waitlistEntry.count({ where: { performanceId: performance.id } })).toBe(2);
  });

  it("refuses a party that fits now, a closed performance, an unknown one and a party over the maximum", async () => {
    const { performance } = await soldOut([3], { roomCapacity: 5 });
    const base = { performanceId: performance.id, name: "C", email: "c@example.org" };
    expect(await reasonOf(caller.waitlist.join({ ...base, partySize: 2 }))).toBe("seats_available");
    expect(await reasonOf(caller.waitlist.join({ ...base, partySize: 3 }))).toBe("ok");
    const started = await factories.performance(db.prisma, { roomCapacity: 0, startsAt: new Date(Date.now() - 60_000) });
    expect(await reasonOf(caller.waitlist.join({ ...base, performanceId: started.id, partySize: 1 }))).toBe("booking_closed");
    const disabled = await factories.performance(db.prisma, { roomCapacity: 0, isBookingEnabled: false });
    expect(await reasonOf(caller.waitlist.join({ ...base, performanceId: disabled.id, partySize: 1 }))).toBe("booking_closed");
    expect(await reasonOf(caller.waitlist.join({ ...base, performanceId: crypto.randomUUID(), partySize: 1 }))).toBe("not_found");
    expect(await reasonOf(caller.waitlist.join({ ...base, partySize: config.MAX_PARTY_SIZE + 1 }))).toBe("invalid_input");
    expect(await reasonOf(caller.waitlist.join({ ...base, partySize: 1, notes: "x" } as never))).toBe("invalid_input");
  });
});

describe("offers", () => {
  it("a cancellation offers the seats to the first entry that fits, records why the others were passed over, and holds them", async () => {
    const { performance, holders } = await soldOut([4, 2]);
    const four = await waiting(performance.id, 4);
    const two = await waiting(performance.id, 2);
    const alsoTwo = await waiting(performance.id, 2);

    await cancelReservation(db.prisma, holders[1]!.id, { config }); // 2 seats back
    const [a, b, c] = [await entryOf(four.email), await entryOf(two.email), await entryOf(alsoTwo.email)];
    expect(a).toMatchObject({ status: "waiting", passedOverReason: "party_too_large", passedOverSeats: 2 });
    expect(b.status).toBe("offered");
    expect(c).toMatchObject({ status: "waiting", passedOverReason: null });
    const offer = await db.prisma.reservation.findUniqueOrThrow({ where: { id: b.reservationId! } });
    expect(offer).toMatchObject({ status: "pending", source: "waitlist", partySize: 2, email: two.email });
    expect(offer.offerExpiresAt!.getTime()).toBe(b.offerExpiresAt!.getTime());

    // The held seats are taken for everyone else: summary, catalogue, a direct booking.
    expect((await performanceSeatSummary(db.prisma, [performance.id])).get(performance.id)).toMatchObject({ availableSeats: 0, heldOfferSeats: 2 });
    expect((await caller.catalogue.performance({ id: performance.id })).availableSeats).toBe(0);
    expect(await reasonOf(caller.booking.create({ performanceId: performance.id, name: "D", email: "d@example.org", partySize: 1 }))).toBe("not_enough_seats");

    const mail = await lastEmail("waitlist_offer", two.email);
    expect(mail.subject).toMatch(/^Posti per te fino alle \d\d:\d\d/);
    expect(mail.confirmToken).toBeTruthy();
    expect(await caller.waitlist.status({ token: two.token })).toMatchObject({ status: "offered", offerExpiresAt: offer.offerExpiresAt!.toISOString() });

    const confirmed = await caller.booking.confirm({ token: mail.confirmToken! });
    expect(confirmed).toMatchObject({ status: "confirmed", partySize: 2 });
    expect((await entryOf(two.email)).status).toBe("booked");
    expect(await caller.waitlist.status({ token: two.token })).toMatchObject({ status: "booked" });
    expect(await reasonOf(caller.waitlist.leave({ token: two.token }))).toBe("not_waiting");
    expect((await performanceSeatSummary(db.prisma, [performance.id])).get(performance.id)).toMatchObject({
      availableSeats: 0,
      heldOfferSeats: 0,
      confirmedSeats: 6,
    });
  });

  it("added seats are offered too, in queue order, as many entries as fit", async () => {
    const { performance } = await soldOut([3]);
    const first = await waiting(performance.id, 2);
    const second = await waiting(performance.id, 1);
    const third = await waiting(performance.id, 2);
    await updatePerformanceCapacity(db.prisma, performance.id, { additionalSeats: 3 }, { config });
    expect((await entryOf(first.email)).status).toBe("offered");
    expect((await entryOf(second.email)).status).toBe("offered");
    // Nothing was left for the third: it was not passed over, the seats simply ran out.
    expect(await entryOf(third.email)).toMatchObject({ status: "waiting", passedOverReason: null });
  });

  it("life cycle: an offer lapses after WAITLIST_OFFER_MINUTES, the next entry gets it, and lapsed seats are held for nobody", async () => {
    const fast = testConfig({ ORIGIN, RATE_LIMITS: "false", WAITLIST_OFFER_MINUTES: "0.05" }); // 3 seconds
    const { performance, holders } = await soldOut([2]);
    const first = await waiting(performance.id, 2, "en");
    const second = await waiting(performance.id, 2);
    await cancelReservation(db.prisma, holders[0]!.id, { config: fast });
    const offered = await entryOf(first.email);
    expect(offered.status).toBe("offered");
    expect(offered.offerExpiresAt!.getTime() - offered.offeredAt!.getTime()).toBe(3_000);

    // Before the deadline nothing lapses.
    expect(await lapseExpiredOffers(db.prisma, fast, new Date(offered.offerExpiresAt!.getTime() - 1))).toEqual({ lapsed: 0, offered: 0 });
    const after = new Date(offered.offerExpiresAt!.getTime() + 1);
    expect(await lapseExpiredOffers(db.prisma, fast, after)).toEqual({ lapsed: 1, offered: 1 });
    expect(await entryOf(first.email)).toMatchObject({ status: "lapsed", endedReason: "offer_lapsed" });
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: offered.reservationId! } })).status).toBe("expired");
    expect((await lastEmail("waitlist_lapsed", first.email)).subject).toMatch(/^The seats we kept for you went to someone else/);
    const next = await entryOf(second.email);
    expect(next.status).toBe("offered");
    // The lapsed offer's link no longer confirms.
    const lapsedLink = (await lastEmail("waitlist_offer", first.email)).confirmToken!;
    expect(await reasonOf(caller.booking.confirm({ token: lapsedLink }))).not.toBe("ok");

    // The second offer lapses too, with nobody left: the seats are free for anyone, held for nobody.
    expect(await lapseExpiredOffers(db.prisma, fast, new Date(next.offerExpiresAt!.getTime() + 1))).toEqual({ lapsed: 1, offered: 0 });
    const seats = (await performanceSeatSummary(db.prisma, [performance.id], new Date(next.offerExpiresAt!.getTime() + 1))).get(performance.id);
    expect(seats).toMatchObject({ heldOfferSeats: 0, availableSeats: 2 });
    expect(await reasonOf(caller.booking.create({ performanceId: performance.id, name: "E", email: "e@example.org", partySize: 2 }))).toBe("ok");
  });

  it("declining an offer from its email passes the seats on at once", async () => {
    const { performance, holders } = await soldOut([2]);
    const first = await waiting(performance.id, 2);
    const second = await waiting(performance.id, 2);
    await cancelReservation(db.prisma, holders[0]!.id, { config });
    const decline = (await lastEmail("waitlist_offer", first.email)).waitlistToken!;
    expect(await caller.waitlist.leave({ token: decline })).toEqual({ status: "left" });
    expect(await caller.waitlist.leave({ token: decline })).toEqual({ status: "left" });
    const firstEntry = await entryOf(first.email);
    expect(firstEntry).toMatchObject({ status: "left", endedReason: "declined_offer" });
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: firstEntry.reservationId! } })).status).toBe("cancelled");
    expect((await entryOf(second.email)).status).toBe("offered");
    expect((await performanceSeatSummary(db.prisma, [performance.id])).get(performance.id)).toMatchObject({ heldOfferSeats: 2, availableSeats: 0 });
  });

  it("a cancelled performance: the open offer's holder is told once (cancelled, not lapsed); the waiting are told it is cancelled", async () => {
    const { performance, holders } = await soldOut([2]);
    const offeredTo = await waiting(performance.id, 2, "en");
    const stillWaiting = await waiting(performance.id, 2, "en");
    await cancelReservation(db.prisma, holders[0]!.id, { config });
    const offer = await entryOf(offeredTo.email);
    expect(offer.status).toBe("offered");

    await cancelPerformance(db.prisma, config, performance.id);
    // The offer's deadline passes before the list-closing job gets to it: it must not lapse.
    await lapseExpiredOffers(db.prisma, config, new Date(offer.offerExpiresAt!.getTime() + 60_000));
    expect(await entryOf(offeredTo.email)).toMatchObject({ status: "offered" });
    await closeStartedWaitlists(db.prisma, config, new Date());

    expect(await entryOf(offeredTo.email)).toMatchObject({ status: "closed" });
    const toOffered = await db.prisma.emailOutbox.findMany({
      where: { toAddress: offeredTo.email, createdAt: { gt: offer.offeredAt! } },
      select: { kind: true },
    });
    expect(toOffered.map((m) => m.kind).sort()).toEqual(["performance_cancelled"]);
    expect(await entryOf(stillWaiting.email)).toMatchObject({ status: "closed" });
    expect((await lastEmail("waitlist_closed", stillWaiting.email)).subject).toMatch(/^Performance cancelled, waiting list closed/);
  });

  it("when the performance starts the list closes: waiting entries get a short sorry email, unverified ones are closed quietly", async () => {
    const { performance } = await soldOut([2]);
    const w = await waiting(performance.id, 1, "en");
    await caller.waitlist.join({ performanceId: performance.id, name: "Unverified", email: "unverified@example.org", partySize: 1 });
    const atStart = new Date(performance.startsAt.getTime() + 1);
    const result = await closeStartedWaitlists(db.prisma, config, atStart);
    expect(result.closed).toBeGreaterThanOrEqual(2);
    expect((await entryOf(w.email)).status).toBe("closed");
    expect((await entryOf("unverified@example.org")).status).toBe("closed");
    expect((await lastEmail("waitlist_closed", w.email)).subject).toMatch(/^Waiting list closed/);
    expect(await db.prisma.emailOutbox.count({ where: { kind: "waitlist_closed", toAddress: "unverified@example.org" } })).toBe(0);
    expect(await caller.waitlist.status({ token: w.token })).toMatchObject({ status: "closed", canLeave: false });
    // Twice is once.
    expect(await closeStartedWaitlists(db.prisma, config, atStart)).toMatchObject({ closed: 0, emailed: 0 });

    // RETENTION_DAYS later the entries keep their numbers but lose who they were.
    await db.prisma.emailOutbox.updateMany({ where: { toAddress: w.email }, data: { status: "sent" } });
    const later = new Date(performance.startsAt.getTime() + (config.RETENTION_DAYS + 1) * 86_400_000);
    expect(await anonymizeOldWaitlistEntries(db.prisma, config, later)).toBeGreaterThanOrEqual(2);
    const gone = await db.prisma.waitlistEntry.findMany({ where: { performanceId: performance.id } });
    expect(gone.every((e) => e.name === "anonymised" && e.email.endsWith("@invalid") && e.phone === null && e.anonymizedAt)).toBe(true);
    expect(await db.prisma.emailOutbox.count({ where: { toAddress: w.email } })).toBe(0);
    expect(await reasonOf(caller.waitlist.status({ token: w.token }))).toBe("unknown_token");
    expect(await anonymizeOldWaitlistEntries(db.prisma, config, later)).toBe(0);
  });
});

describe("back-office", () => {
  it("lists with position and status; moves, offers by hand and removes, each audited", async () => {
    const { performance, holders } = await soldOut([2, 1]);
    const a = await waiting(performance.id, 2);
    const b = await waiting(performance.id, 1);
    const c = await waiting(performance.id, 1);
    const admin = (await factories.user(db.prisma, { role: "admin" })).user;
    const actor = { userId: admin.id, label: admin.email };
    const [ea, eb, ec] = [await entryOf(a.email), await entryOf(b.email), await entryOf(c.email)];

    expect((await moveWaitlistEntry(db.prisma, config, ec.id, "up", actor)).position).toBe(2);
    expect((await listWaitlist(db.prisma, performance.id)).map((r) => [r.email, r.position])).toEqual([
      [a.email, 1],
      [c.email, 2],
      [b.email, 3],
    ]);
    // The head of the queue stays the head.
    expect((await moveWaitlistEntry(db.prisma, config, ea.id, "up", actor)).position).toBe(1);

    // Nothing is free: offering by hand is refused and changes nothing.
    expect(await reasonOf(offerWaitlistEntryNow(db.prisma, config, eb.id, actor))).toBe("not_enough_seats");
    expect((await listWaitlist(db.prisma, performance.id)).map((r) => r.email)).toEqual([a.email, c.email, b.email]);

    // One seat back: a (party 2) is passed over, c (moved up) gets it.
    await cancelReservation(db.prisma, holders[1]!.id, { config });
    const listed = await listWaitlist(db.prisma, performance.id);
    expect(listed.find((r) => r.email === a.email)).toMatchObject({ status: "waiting", position: 1, passedOverReason: "party_too_large", passedOverSeats: 1 });
    expect(listed.find((r) => r.email === c.email)).toMatchObject({ status: "offered", position: null });

    // Removing the offered entry withdraws the offer and passes the seat on (to b, party 1).
    await removeWaitlistEntry(db.prisma, config, ec.id, actor);
    expect(await entryOf(c.email)).toMatchObject({ status: "left", endedReason: "removed_by_admin" });
    expect((await entryOf(b.email)).status).toBe("offered");

    // Two more seats: a, first in the queue, gets them; an offered entry cannot get a second.
    await cancelReservation(db.prisma, holders[0]!.id, { config });
    expect((await entryOf(a.email)).status).toBe("offered");
    expect(await reasonOf(offerWaitlistEntryNow(db.prisma, config, ea.id, actor))).toBe("not_waiting");

    const actions = (await db.prisma.auditLog.findMany({ where: { entity: "WaitlistEntry" }, select: { action: true } })).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["waitlist.move_up", "waitlist.remove"]));
  });

  it("offers by hand while online booking is off, only what is free", async () => {
    const { performance, holders } = await soldOut([3]);
    const two = await waiting(performance.id, 2);
    const one = await waiting(performance.id, 1);
    const late = await waiting(performance.id, 1);
    await updatePerformanceCapacity(db.prisma, performance.id, { isBookingEnabled: false }, { config });
    await cancelReservation(db.prisma, holders[0]!.id, { config });
    // Booking is off: nothing is offered automatically.
    expect((await listWaitlist(db.prisma, performance.id)).map((r) => r.status)).toEqual(["waiting", "waiting", "waiting"]);
    const admin = (await factories.user(db.prisma, { role: "admin" })).user;
    const actor = { userId: admin.id, label: admin.email };
    const [eTwo, eOne, eLate] = [await entryOf(two.email), await entryOf(one.email), await entryOf(late.email)];
    await offerWaitlistEntryNow(db.prisma, config, eOne.id, actor);
    await offerWaitlistEntryNow(db.prisma, config, eTwo.id, actor);
    expect(await reasonOf(offerWaitlistEntryNow(db.prisma, config, eLate.id, actor))).toBe("not_enough_seats");
    expect((await performanceSeatSummary(db.prisma, [performance.id])).get(performance.id)).toMatchObject({ heldOfferSeats: 3, availableSeats: 0 });
    expect(await db.prisma.auditLog.count({ where: { entity: "WaitlistEntry", action: "waitlist.offer" } })).toBe(2);
  });
});
