import { factories } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, login, startBackoffice, type Harness } from "./helpers.ts";

/**
 * The waiting list in the back-office, through AdminJS's own API: the list of one
 * performance (position, party, status, passed-over reason), moving entries, offering by
 * hand, removing; a back-office cancellation offering the seats to the queue. Audited.
 */
let h: Harness;
let api: ReturnType<typeof adminApi>;
let adminId: string;

beforeAll(async () => {
  h = await startBackoffice({ ORIGIN: "http://site.test" });
  const { user, password } = await factories.user(h.db.prisma, { role: "admin", email: "cassa@azionelab.example" });
  adminId = user.id;
  const { cookie } = await login(h.base, user.email, password);
  api = adminApi(h.base, cookie);
});
afterAll(async () => {
  await h?.stop();
});

let counter = 0;
async function waiting(performanceId: string, partySize: number) {
  counter++;
  return h.db.prisma.waitlistEntry.create({
    data: {
      performanceId,
      status: "waiting",
      name: `Attesa ${counter}`,
      email: `attesa-${counter}@example.org`,
      partySize,
      queueRank: counter,
      confirmedAt: new Date(),
    },
  });
}

const action = (id: string, name: string) => api.post(`/resources/WaitlistEntry/records/${id}/${name}`, { confirm: "yes" });

describe("waiting list in the back-office", () => {
  it("lists a performance's queue with positions; move, offer by hand, remove; a cancellation offers to the queue; all audited", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 3 });
    const holder = await factories.reservation(h.db.prisma, { performanceId: perf.id, partySize: 3, status: "confirmed", confirmedAt: new Date() });
    const [a, b, c] = [await waiting(perf.id, 3), await waiting(perf.id, 1), await waiting(perf.id, 2)];

    const list = async () => {
      const res = await api.get(`/resources/WaitlistEntry/actions/list?filters.performance=${perf.id}&sortBy=queueRank&direction=asc`);
      expect(res.status).toBe(200);
      return (res.json.records as { id: string; params: Record<string, unknown> }[]).map((r) => [r.params.name, r.params.position, r.params.status]);
    };
    expect(await list()).toEqual([
      [a.name, 1, "waiting"],
      [b.name, 2, "waiting"],
      [c.name, 3, "waiting"],
    ]);

    // GET describes the action and changes nothing; POST moves c up.
    expect((await api.get(`/resources/WaitlistEntry/records/${c.id}/moveUp`)).status).toBe(200);
    expect((await h.db.prisma.waitlistEntry.findUniqueOrThrow({ where: { id: c.id } })).queueRank).toBe(c.queueRank);
    const moved = await action(c.id, "moveUp");
    expect(moved.json.notice).toMatchObject({ type: "success" });
    expect((await list()).map((r) => r[0])).toEqual([a.name, c.name, b.name]);

    // Nothing free: offering by hand is refused with a readable notice.
    const refused = await action(b.id, "offerNow");
    expect(refused.json.notice).toMatchObject({ type: "error", message: expect.stringMatching(/Only 0 seats are free/) });

    // The box office cancels the holder's 3 seats: a (3) is first and fits.
    const cancelled = await api.post(`/resources/Reservation/records/${holder.id}/cancelReservation`, { confirm: "yes" });
    expect(cancelled.json.notice).toMatchObject({ type: "success" });
    const afterCancel = await api.get(`/resources/WaitlistEntry/records/${a.id}/show`);
    expect(afterCancel.json.record.params).toMatchObject({ status: "offered", position: null });
    expect(afterCancel.json.record.params.offeredUntil).toBeTruthy();

    // Removing a's entry withdraws its offer: c (2) and b (1) share the 3 seats.
    expect((await action(a.id, "removeEntry")).json.notice).toMatchObject({ type: "success" });
    expect(await list()).toEqual(
      expect.arrayContaining([
        [a.name, null, "left"],
        [c.name, null, "offered"],
        [b.name, null, "offered"],
      ]),
    );
    const audit = await h.db.prisma.auditLog.findMany({ where: { entity: "WaitlistEntry", userId: adminId }, select: { action: true } });
    expect(audit.map((r) => r.action).sort()).toEqual(["waitlist.move_up", "waitlist.remove"]);
  });

  it("shows why an entry was passed over, and the Italian labels", async () => {
    const perf = await factories.performance(h.db.prisma, { roomCapacity: 2 });
    const holder = await factories.reservation(h.db.prisma, { performanceId: perf.id, partySize: 1, status: "confirmed", confirmedAt: new Date() });
    await factories.reservation(h.db.prisma, { performanceId: perf.id, partySize: 1, status: "confirmed", confirmedAt: new Date() });
    const big = await waiting(perf.id, 2);
    const small = await waiting(perf.id, 1);
    await api.post(`/resources/Reservation/records/${holder.id}/cancelReservation`, { confirm: "yes" });
    const shown = await api.get(`/resources/WaitlistEntry/records/${big.id}/show`);
    expect(shown.json.record.params).toMatchObject({ status: "waiting", position: 1, passedOverReason: "party_too_large", passedOverSeats: 1 });
    expect((await h.db.prisma.waitlistEntry.findUniqueOrThrow({ where: { id: small.id } })).status).toBe("offered");

    // The labels of the waiting list are in the back-office locale, both languages (tests/locale.test.ts checks them all).
    const { adminTranslations } = await import("../src/admin/locale.ts");
    for (const language of ["it", "en"] as const) {
      const words = adminTranslations[language].resources!.WaitlistEntry!;
      for (const status of ["pending", "waiting", "offered", "booked", "lapsed", "left", "closed"]) expect(words.labels).toHaveProperty([`status.${status}`]);
      for (const action of ["moveUp", "moveDown", "offerNow", "removeEntry"]) expect(words.actions).toHaveProperty([action]);
    }
  });
});
