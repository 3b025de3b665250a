import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { callHttp, expectReason } from "../checkin/checkin.fixtures.ts";
import { startTrpcHttpServer } from "../testing/http-server.ts";
import { memoryCookies, testCaller, testConfig } from "../testing/index.ts";
import { authenticateUser } from "./auth.service.ts";
import { sessionIdFromToken, validateSessionToken } from "./session.service.ts";

// Every argon2 verification the code under test makes, with the hash it verified against.
// The real verify still runs: this only records the calls.
const argon2Calls = vi.hoisted(() => ({ verified: [] as string[] }));
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const real = await importOriginal<typeof import("@node-rs/argon2")>();
  return {
    ...real,
    verify: (hashed: string | Uint8Array, ...rest: [string | Uint8Array, ...unknown[]]) => {
      argon2Calls.verified.push(String(hashed));
      return (real.verify as (...args: unknown[]) => Promise<boolean>)(hashed, ...rest);
    },
  };
});

let db: TestDatabase;
let server: Awaited<ReturnType<typeof startTrpcHttpServer>>;
let base: string;
const config = testConfig();

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTrpcHttpServer(db.prisma, config);
  base = server.url;
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const sessionCookie = (setCookie: string[]) => {
  const line = setCookie.find((c) => c.startsWith("sipario_session="));
  return { line, value: line ? decodeURIComponent(line.split(";")[0]!.split("=")[1]!) : undefined };
};

describe("auth over HTTP", () => {
  it("login sets an httpOnly lax cookie whose hash is the stored session; me and logout follow it", async () => {
    const { user, password } = await factories.user(db.prisma, { role: "staff", name: "Sara", email: "sara@example.org" });
    const login = await callHttp(base, "auth.login", "mutation", { email: "  SARA@example.org ", password });
    expect(login.status).toBe(200);
    expect(login.body.result.data).toEqual({ user: { id: user.id, name: "Sara", email: "sara@example.org", role: "staff" } });
    const cookie = sessionCookie(login.setCookie);
    expect(cookie.line).toMatch(/HttpOnly/);
    expect(cookie.line).toMatch(/SameSite=Lax/);
    expect(cookie.line).toMatch(/Path=\//);
    expect(cookie.line).not.toMatch(/Secure/); // not production
    const stored = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionIdFromToken(cookie.value!) } });
    expect(stored.userId).toBe(user.id);
    expect(await db.prisma.session.count({ where: { id: cookie.value! } })).toBe(0); // raw token never stored

    const me = await callHttp(base, "auth.me", "query", undefined, cookie.value);
    expect(me.body.result.data.user).toMatchObject({ id: user.id, role: "staff" });

    const logout = await callHttp(base, "auth.logout", "mutation", undefined, cookie.value);
    expect(logout.status).toBe(200);
    expect(sessionCookie(logout.setCookie).line).toMatch(/Expires=Thu, 01 Jan 1970/);
    // The server forgot the session: replaying the old cookie is anonymous.
    expect(await db.prisma.session.count({ where: { id: stored.id } })).toBe(0);
    const after = await callHttp(base, "auth.me", "query", undefined, cookie.value);
    expect(after.body.result.data).toEqual({ user: null });
    const denied = await callHttp(base, "checkin.performancesToday", "query", undefined, cookie.value);
    expect(denied.status).toBe(401);
    expect(denied.body.error.data.reason).toBe("unauthenticated");
  });

  it("wrong password and unknown email give the same answer", async () => {
    const { user } = await factories.user(db.prisma, { email: "known@example.org" });
    const wrong = await callHttp(base, "auth.login", "mutation", { email: user.email, password: "not-the-password" });
    const unknown = await callHttp(base, "auth.login", "mutation", { email: "nobody@example.org", password: "not-the-password" });
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.body.error.data.reason).toBe("invalid_credentials");
      expect(r.setCookie).toEqual([]);
    }
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("unknown emails still pay for a password hash (timing does not reveal accounts)", async () => {
    // Proven by counting argon2 verifications, not with a stopwatch: an unknown email
    // costs one verification against a hash of the same parameters as a real account's.
    const { user } = await factories.user(db.prisma);
    const stored = (await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    const argon2Parameters = (hash: string) => hash.split("$").slice(1, 4).join("$"); // argon2id$v=19$m=…,t=…,p=…
    const attempt = async (email: string) => {
      const before = argon2Calls.verified.length;
      await expect(
        authenticateUser(db.prisma, email, "wrong-password", "198.51.100.9", { RATE_LIMITS: false, sessionSecret: config.sessionSecret }),
      ).rejects.toThrow();
      return argon2Calls.verified.slice(before);
    };
    const known = await attempt(user.email);
    expect(known).toEqual([stored]);
    const unknown = await attempt("ghost@example.org");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).not.toBe(stored);
    expect(argon2Parameters(unknown[0]!)).toBe(argon2Parameters(stored));
    expect(argon2Parameters(stored)).toMatch(/^argon2id\$v=19\$m=\d+,t=\d+,p=\d+$/);
  });

  it("rejects unknown keys and bad emails as invalid_input", async () => {
    const r = await callHttp(base, "auth.login", "mutation", { email: "a@example.org", password: "x", role: "admin" });
    expect(r.status).toBe(400);
    expect(r.body.error.data.reason).toBe("invalid_input");
    const bad = await callHttp(base, "auth.login", "mutation", { email: "not-an-email", password: "x" });
    expect(bad.body.error.data.reason).toBe("invalid_input");
  });

  it("a new login replaces the session the browser already had", async () => {
    const { user, password } = await factories.user(db.prisma);
    const first = sessionCookie((await callHttp(base, "auth.login", "mutation", { email: user.email, password })).setCookie).value!;
    const second = sessionCookie((await callHttp(base, "auth.login", "mutation", { email: user.email, password }, first)).setCookie).value!;
    expect(second).not.toBe(first);
    expect((await validateSessionToken(db.prisma, first, config)).user).toBeNull();
    expect((await validateSessionToken(db.prisma, second, config)).user?.id).toBe(user.id);
  });
});

describe("login rate limits", () => {
  it("per account and address: the sixth failure from one address is refused, even with the right password", async () => {
    const { user, password } = await factories.user(db.prisma);
    const caller = testCaller(db.prisma, { config, clientAddress: "192.0.2.1" });
    for (let i = 0; i < 5; i++) {
      await expectReason(caller.auth.login({ email: user.email, password: "wrong-password" }), "UNAUTHORIZED", "invalid_credentials");
    }
    const cookies = memoryCookies();
    const data = await expectReason(
      testCaller(db.prisma, { config, clientAddress: "192.0.2.1", cookies }).auth.login({ email: user.email, password }),
      "TOO_MANY_REQUESTS",
      "rate_limited",
    );
    expect(data.retryAfterSeconds).toBeGreaterThan(0);
    expect(cookies.values.size).toBe(0);
  });

  it("per address: many accounts from one address are refused after the limit", async () => {
    const caller = testCaller(db.prisma, { config, clientAddress: "203.0.113.200" });
    for (let i = 0; i < 20; i++) {
      await expectReason(caller.auth.login({ email: `probe${i}@example.org`, password: "guess-guess" }), "UNAUTHORIZED", "invalid_credentials");
    }
    await expectReason(caller.auth.login({ email: "probe-last@example.org", password: "guess-guess" }), "TOO_MANY_REQUESTS", "rate_limited");
    // Another address is not affected.
    const { user, password } = await factories.user(db.prisma);
    await expect(testCaller(db.prisma, { config, clientAddress: "203.0.113.201" }).auth.login({ email: user.email, password })).resolves.toMatchObject({
      user: { id: user.id },
    });
  });

  it("authenticateUser can require the admin role (back-office)", async () => {
    const staff = await factories.user(db.prisma, { role: "staff" });
    const admin = await factories.user(db.prisma, { role: "admin" });
    await expect(authenticateUser(db.prisma, staff.user.email, staff.password, "198.51.100.1", config, { requireRole: "admin" })).rejects.toMatchObject({
      reason: "forbidden",
    });
    await expect(authenticateUser(db.prisma, admin.user.email, admin.password, "198.51.100.1", config, { requireRole: "admin" })).resolves.toMatchObject({
      id: admin.user.id,
      role: "admin",
    });
  });
});
