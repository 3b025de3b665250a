import { randomUUID } from "node:crypto";
import { generateToken, hashToken } from "@sipario/api";
import { testCaller } from "@sipario/api/testing";
import { factories } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, login, startBackoffice, type Harness } from "./helpers.ts";

// The back-office's door report: the scans doors sent after working offline, with the
// tickets admitted at two doors marked on both sides (ADR-0009).
let h: Harness;
let api: ReturnType<typeof adminApi>;

beforeAll(async () => {
  h = await startBackoffice();
  const { user, password } = await factories.user(h.db.prisma, { role: "admin", email: "report@azionelab.example" });
  const { cookie } = await login(h.base, user.email, password);
  expect(cookie).not.toBeNull();
  api = adminApi(h.base, cookie);
});
afterAll(async () => {
  await h?.stop();
});

describe("offline door scans in the back-office", () => {
  it("lists both admissions of a ticket let in at two doors as conflicts, and the check-in names the earliest", async () => {
    const perf = await factories.performance(h.db.prisma, { startsAt: new Date() });
    const reservation = await factories.reservation(h.db.prisma, { performanceId: perf.id, name: "Elena Costa", status: "confirmed", confirmedAt: new Date() });
    const token = generateToken();
    await h.db.prisma.reservationToken.create({
      data: { reservationId: reservation.id, purpose: "check_in", tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 86_400_000) },
    });
    const doors = [];
    for (const name of ["Anna Door", "Bruno Door"]) {
      const { user } = await factories.user(h.db.prisma, { role: "staff", name });
      doors.push(testCaller(h.db.prisma, { config: h.config, user: { id: user.id, email: user.email, name: user.name, role: "staff" } }));
    }
    const early = { id: randomUUID(), token, scannedAt: new Date(Date.now() - 10 * 60_000).toISOString() };
    const late = { id: randomUUID(), token, scannedAt: new Date(Date.now() - 2 * 60_000).toISOString() };
    await doors[1]!.checkin.sync({ deviceId: "door-bruno", scans: [late] });
    await doors[0]!.checkin.sync({ deviceId: "door-anna", scans: [early] });

    const list = await api.get("/resources/DoorScan/actions/list?filters.conflict=true");
    expect(list.status).toBe(200);
    const records = list.json.records as { id: string; params: Record<string, unknown> }[];
    expect(records.map((r) => [r.params.deviceId, r.params.outcome, r.params.conflict]).sort()).toEqual([
      ["door-anna", "checked_in", true],
      ["door-bruno", "already_checked_in", true],
    ]);
    expect(records.every((r) => r.params.reservation === reservation.id)).toBe(true);
    const checkIn = await h.db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: reservation.id }, include: { checkedInBy: true } });
    expect(checkIn.checkedInBy.name).toBe("Anna Door");
    // Read-only: nobody edits what a door recorded.
    await api.post(`/resources/DoorScan/records/${early.id}/delete`);
    expect(await h.db.prisma.doorScan.count({ where: { id: early.id } })).toBe(1);
  });
});
