import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { testConfig } from "../testing/index.ts";
import { generateToken, hashToken } from "../lib/tokens.ts";
import { changeReservation } from "./reservation-change.service.ts";

const HOUR = 3_600_000;
let db: TestDatabase;
let config: AppConfig;

beforeAll(async () => {
  db = await createTestDatabase();
  config = testConfig({ MAX_PARTY_SIZE: "6" });
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

/** A confirmed party with a ticket token, on a performance of `roomCapacity` seats. */
async function ticketHolder(data: { roomCapacity?: number; partySize?: number; email?: string | null; showId?: string } = {}) {
  const performance = await factories.performance(db.prisma, { roomCapacity: data.roomCapacity ?? 10, ...(data.showId ? { showId: data.showId } : {}) });
  const reservation = await factories.reservation(db.prisma, {
    performanceId: performance.id,
    status: "confirmed",
    confirmedAt: new Date(),
    partySize: data.partySize ?? 2,
    ...(data.email === null ? { email: null, source: "box_office" as const } : data.email ? { email: data.email } : {}),
  });
  const oldTicket = generateToken();
  await db.prisma.reservationToken.create({
    data: { reservationId: reservation.id, purpose: "check_in", tokenHash: hashToken(oldTicket), expiresAt: new Date(Date.now() + 72 * HOUR) },
  });
  return { performance, reservation, oldTicket };
}

describe("changing a reservation", () => {
  it("grows the party within the free seats, emails a fresh ticket, and audits from and to", async () => {
    const { performance, reservation, oldTicket } = await ticketHolder({ roomCapacity: 5, partySize: 2 });
    await factories.reservation(db.prisma, { performanceId: performance.id, status: "confirmed", partySize: 2 });
    const changed = await changeReservation(db.prisma, config, reservation.id, { partySize: 3 }, { actor: { userId: null, label: "box office" } });
    expect(changed).toMatchObject({ changed: true, partySize: 3, performanceId: performance.id, emailed: true });
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: reservation.id } })).partySize).toBe(3);
    const tokens = await db.prisma.reservationToken.findMany({ where: { reservationId: reservation.id, purpose: "check_in" } });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.tokenHash).not.toBe(hashToken(oldTicket));
    expect((await db.prisma.emailOutbox.findMany({ where: { reservationId: reservation.id } })).map((m) => m.kind)).toEqual(["ticket"]);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { entityId: reservation.id, action: "reservation.change" } });
    expect(audit.changes).toMatchObject({ from: { partySize: 2 }, to: { partySize: 3 }, emailed: true });
  });

  it("refuses a party that does not fit with not_enough_seats on partySize, and changes nothing", async () => {
    const { performance, reservation } = await ticketHolder({ roomCapacity: 5, partySize: 2 });
    await factories.reservation(db.prisma, { performanceId: performance.id, status: "confirmed", partySize: 2 });
    const error = await refusal(changeReservation(db.prisma, config, reservation.id, { partySize: 4 }));
    expect(error.reason).toBe("not_enough_seats");
    expect(error.details).toMatchObject({ availableSeats: 3, field: "partySize" });
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: reservation.id } })).partySize).toBe(2);
    expect(await db.prisma.emailOutbox.count({ where: { reservationId: reservation.id } })).toBe(0);
    // Nothing to change answers changed: false and sends nothing.
    expect(await changeReservation(db.prisma, config, reservation.id, { partySize: 2 })).toMatchObject({ changed: false, emailed: false });
  });

  it("moves to another performance of the same show only, where the party fits; a printed ticket follows it", async () => {
    const { performance, reservation } = await ticketHolder({ partySize: 3, email: null });
    const later = await factories.performance(db.prisma, { showId: performance.showId, roomCapacity: 10, startsAt: new Date(Date.now() + 9 * 24 * HOUR) });
    const small = await factories.performance(db.prisma, { showId: performance.showId, roomCapacity: 2 });
    const otherShow = await factories.performance(db.prisma);
    const cancelled = await factories.performance(db.prisma, { showId: performance.showId, status: "cancelled", cancelledAt: new Date() });

    expect((await refusal(changeReservation(db.prisma, config, reservation.id, { performanceId: otherShow.id }))).reason).toBe("invalid_input");
    expect((await refusal(changeReservation(db.prisma, config, reservation.id, { performanceId: cancelled.id }))).reason).toBe("booking_closed");
    const full = await refusal(changeReservation(db.prisma, config, reservation.id, { performanceId: small.id }));
    expect(full.reason).toBe("not_enough_seats");
    expect(full.details.availableSeats).toBe(2);

    const before = await db.prisma.reservationToken.findFirstOrThrow({ where: { reservationId: reservation.id, purpose: "check_in" } });
    const moved = await changeReservation(db.prisma, config, reservation.id, { performanceId: later.id });
    expect(moved).toMatchObject({ changed: true, performanceId: later.id, partySize: 3, emailed: false });
    const after = await db.prisma.reservationToken.findFirstOrThrow({ where: { reservationId: reservation.id, purpose: "check_in" } });
    expect(after.tokenHash).toBe(before.tokenHash);
    expect(after.expiresAt.getTime()).toBeGreaterThan(later.startsAt.getTime());
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: reservation.id } })).performanceId).toBe(later.id);
  });

  it("refuses a checked-in party, an unconfirmed reservation and bad input", async () => {
    const { reservation } = await ticketHolder();
    const { user } = await factories.user(db.prisma, { role: "staff" });
    await db.prisma.checkIn.create({ data: { reservationId: reservation.id, checkedInById: user.id } });
    expect((await refusal(changeReservation(db.prisma, config, reservation.id, { partySize: 1 }))).reason).toBe("already_checked_in");
    const perf = await factories.performance(db.prisma);
    const pending = await factories.reservation(db.prisma, { performanceId: perf.id, status: "pending" });
    expect((await refusal(changeReservation(db.prisma, config, pending.id, { partySize: 1 }))).reason).toBe("reservation_not_confirmed");
    expect((await refusal(changeReservation(db.prisma, config, pending.id, {}))).reason).toBe("invalid_input");
    expect((await refusal(changeReservation(db.prisma, config, pending.id, { partySize: 0 }))).reason).toBe("invalid_input");
    expect((await refusal(changeReservation(db.prisma, config, "not-a-uuid", { partySize: 1 }))).reason).toBe("not_found");
  });
});
