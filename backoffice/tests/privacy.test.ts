import { factories } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, login, startBackoffice, type Harness } from "./helpers.ts";

/**
 * Erasure on request from the back-office: the action's screen (GET) changes nothing; its
 * POST calls packages/api's erasePersonalData for the record's email (that service's own
 * test covers what is erased and kept), which anonymises the person everywhere; audited.
 */
let h: Harness;
let api: ReturnType<typeof adminApi>;
let adminId: string;
let adminCookie: string;

beforeAll(async () => {
  h = await startBackoffice({ ORIGIN: "http://site.test" });
  const { user, password } = await factories.user(h.db.prisma, { role: "admin", email: "privacy@azionelab.example" });
  adminId = user.id;
  const { cookie } = await login(h.base, user.email, password);
  adminCookie = cookie!;
  api = adminApi(h.base, cookie);
});
afterAll(async () => {
  await h?.stop();
});

describe("access in the back-office", () => {
  it("downloads everything about a record's email as JSON and as text, for a signed-in admin only; audited", async () => {
    const email = "chiede.accesso@example.org";
    const perf = await factories.performance(h.db.prisma);
    const r = await factories.reservation(h.db.prisma, { performanceId: perf.id, email, name: "Chi Accede", notes: "Prima fila" });
    const url = (format: string) => `${h.base}/admin/privacy/reservations/${r.id}/personal-data.${format}`;
    expect((await fetch(url("json"))).status).toBe(401);

    const screen = await api.get(`/resources/Reservation/records/${r.id}/personalData`);
    expect(screen.status).toBe(200);
    const json = await fetch(url("json"), { headers: { cookie: adminCookie } });
    expect(json.status).toBe(200);
    const data = await json.json();
    expect(data).toMatchObject({ email, reservations: [{ name: "Chi Accede", notes: "Prima fila" }] });
    const text = await (await fetch(url("txt"), { headers: { cookie: adminCookie } })).text();
    expect(text).toContain("Personal data stored about chiede.accesso@example.org");
    expect((await fetch(`${h.base}/admin/privacy/reservations/not-an-id/personal-data.json`, { headers: { cookie: adminCookie } })).status).toBe(404);
    expect(await h.db.prisma.auditLog.count({ where: { action: "privacy.export", userId: adminId } })).toBe(2);
  });
});

describe("erasure in the back-office", () => {
  it("asks first, then anonymises every reservation and waiting-list entry of the record's email, audited", async () => {
    const email = "chiede.cancellazione@example.org";
    const [one, two] = [await factories.performance(h.db.prisma), await factories.performance(h.db.prisma)];
    const first = await factories.reservation(h.db.prisma, { performanceId: one.id, email, status: "confirmed", partySize: 2, confirmedAt: new Date() });
    const second = await factories.reservation(h.db.prisma, { performanceId: two.id, email, status: "cancelled", partySize: 1 });
    const entry = await h.db.prisma.waitlistEntry.create({ data: { performanceId: two.id, status: "left", name: "Chi Chiede", email, partySize: 1 } });

    expect(JSON.stringify((await api.get(`/resources/Reservation/records/${first.id}/show`)).json)).toContain('"erasePerson"');
    const screen = await api.get(`/resources/Reservation/records/${first.id}/erasePerson`);
    expect(screen.status).toBe(200);
    expect(await h.db.prisma.reservation.count({ where: { email } })).toBe(2);

    const done = await api.post(`/resources/Reservation/records/${first.id}/erasePerson`, { confirm: "yes" });
    expect(done.json.notice).toMatchObject({ type: "success" });
    for (const id of [first.id, second.id]) {
      expect(await h.db.prisma.reservation.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "anonymised", email: `anonymised+${id}@invalid` });
    }
    expect((await h.db.prisma.waitlistEntry.findUniqueOrThrow({ where: { id: entry.id } })).name).toBe("anonymised");
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({ where: { action: "privacy.erase" } });
    expect(audit).toMatchObject({ userId: adminId, changes: { reservations: 2, waitlistEntries: 1 } });

    // Once anonymised, the record no longer offers the action.
    const after = await api.get(`/resources/Reservation/records/${first.id}/show`);
    expect(JSON.stringify(after.json)).not.toContain('"erasePerson"');
  });
});
