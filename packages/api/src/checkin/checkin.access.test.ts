import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTrpcHttpServer } from "../testing/http-server.ts";
import { testConfig } from "../testing/index.ts";
import { callHttp, staffWithSession, ticket } from "./checkin.fixtures.ts";

// Every staff procedure, over HTTP with a real session cookie, at each access level.
let db: TestDatabase;
let server: Awaited<ReturnType<typeof startTrpcHttpServer>>;
let base: string;
const cookies: Record<string, string | undefined> = {};
const userIds: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTrpcHttpServer(db.prisma, testConfig());
  base = server.url;
  cookies.none = undefined;
  const expired = await staffWithSession(db.prisma, "staff");
  await db.prisma.session.update({ where: { id: expired.session.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
  cookies.expired = expired.cookie;
  cookies.forged = "a".repeat(32); // well-formed, never issued
  for (const role of ["staff", "admin"] as const) {
    const member = await staffWithSession(db.prisma, role);
    cookies[role] = member.cookie;
    userIds[role] = member.user.id;
  }
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

type Call = { path: string; kind: "query" | "mutation"; input: (level?: string) => Promise<unknown> };
const procedures: Call[] = [
  { path: "checkin.preview", kind: "query", input: async () => ({ token: (await ticket(db.prisma)).token }) },
  { path: "checkin.confirm", kind: "mutation", input: async () => ({ token: (await ticket(db.prisma)).token }) },
  { path: "checkin.manual", kind: "mutation", input: async () => ({ reservationId: (await ticket(db.prisma)).reservation.id }) },
  { path: "checkin.search", kind: "query", input: async () => ({ performanceId: (await ticket(db.prisma, { name: "Alba Verdi" })).performanceId, q: "alba" }) },
  { path: "checkin.doorStats", kind: "query", input: async () => ({ performanceId: (await factories.performance(db.prisma)).id }) },
  { path: "checkin.performancesToday", kind: "query", input: async () => undefined },
  { path: "checkin.manifest", kind: "query", input: async () => ({ performanceId: (await ticket(db.prisma)).performanceId }) },
  { path: "checkin.doorList", kind: "query", input: async () => ({ performanceId: (await ticket(db.prisma)).performanceId }) },
  { path: "checkin.conflicts", kind: "query", input: async () => ({ performanceId: (await factories.performance(db.prisma)).id }) },
  {
    path: "checkin.sync",
    kind: "mutation",
    input: async () => ({
      deviceId: "door-access-test",
      scans: [{ id: crypto.randomUUID(), token: (await ticket(db.prisma)).token, scannedAt: new Date().toISOString() }],
    }),
  },
  {
    // A check-in the calling member just made (any staff member's own, within minutes).
    path: "checkin.undo",
    kind: "mutation",
    input: async (level) => {
      const { reservation } = await ticket(db.prisma);
      const by = userIds[level ?? "staff"] ?? userIds.staff!;
      await db.prisma.checkIn.create({ data: { reservationId: reservation.id, checkedInById: by } });
      return { reservationId: reservation.id };
    },
  },
];

describe.each(procedures)("$path", ({ path, kind, input }) => {
  it.each(["none", "expired", "forged"])("refuses %s session with 401 unauthenticated, writing nothing", async (level) => {
    const args = await input();
    const before = await db.prisma.checkIn.count();
    const r = await callHttp(base, path, kind, args, cookies[level]);
    expect(r.status).toBe(401);
    expect(r.body.error.data.reason).toBe("unauthenticated");
    expect(await db.prisma.checkIn.count()).toBe(before);
  });

  it.each(["staff", "admin"])("lets %s through", async (level) => {
    const r = await callHttp(base, path, kind, await input(level), cookies[level]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.result.data).toBeTruthy();
  });
});

it("an expired session is deleted when it is presented", async () => {
  const { session, cookie } = await staffWithSession(db.prisma, "staff");
  await db.prisma.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1) } });
  const r = await callHttp(base, "auth.me", "query", undefined, cookie);
  expect(r.body.result.data).toEqual({ user: null });
  expect(await db.prisma.session.count({ where: { id: session.id } })).toBe(0);
});
