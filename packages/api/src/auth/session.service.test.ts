import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryCookies, testConfig } from "../testing/index.ts";
import {
  createSession,
  generateSessionToken,
  invalidateSession,
  invalidateUserSessions,
  resumeSession,
  SESSION_COOKIE_NAME,
  sessionCookieOptions,
  sessionIdFromToken,
  validateSessionToken,
} from "./session.service.ts";

let db: TestDatabase;
const config = testConfig({ SESSION_TTL_DAYS: "30" });
const DAY = 86_400_000;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("sessions", () => {
  it("stores only the SHA-256 of the token and resolves the user", async () => {
    const { user } = await factories.user(db.prisma, { role: "staff", name: "Door One" });
    const token = generateSessionToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const session = await createSession(db.prisma, token, user.id, config);
    expect(session.id).toBe(sessionIdFromToken(token));
    expect(session.id).not.toContain(token);
    const rows = await db.prisma.session.findMany({ where: { userId: user.id } });
    expect(rows.map((r) => r.id)).toEqual([session.id]);
    const result = await validateSessionToken(db.prisma, token, config);
    expect(result.user).toEqual({ id: user.id, email: user.email, name: "Door One", role: "staff" });
  });

  it("rejects unknown, malformed and expired tokens, deleting expired rows", async () => {
    const { user } = await factories.user(db.prisma);
    expect((await validateSessionToken(db.prisma, generateSessionToken(), config)).user).toBeNull();
    expect((await validateSessionToken(db.prisma, "not a token!", config)).user).toBeNull();
    expect((await validateSessionToken(db.prisma, undefined, config)).user).toBeNull();
    const token = generateSessionToken();
    const session = await createSession(db.prisma, token, user.id, config);
    await db.prisma.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await validateSessionToken(db.prisma, token, config)).toEqual({ session: null, user: null });
    expect(await db.prisma.session.count({ where: { id: session.id } })).toBe(0);
  });

  it("slides the expiry only in the second half of the lifetime", async () => {
    const { user } = await factories.user(db.prisma);
    const token = generateSessionToken();
    const session = await createSession(db.prisma, token, user.id, config);
    const early = new Date(Date.now() + 20 * DAY);
    await db.prisma.session.update({ where: { id: session.id }, data: { expiresAt: early } });
    const a = await validateSessionToken(db.prisma, token, config);
    expect(a.session?.expiresAt.getTime()).toBe(early.getTime());
    const late = new Date(Date.now() + 10 * DAY);
    await db.prisma.session.update({ where: { id: session.id }, data: { expiresAt: late } });
    const b = await validateSessionToken(db.prisma, token, config);
    expect(b.session!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    const stored = await db.prisma.session.findUniqueOrThrow({ where: { id: session.id } });
    expect(stored.expiresAt.getTime()).toBe(b.session!.expiresAt.getTime());
  });

  it("invalidates one session or all of a user's", async () => {
    const { user } = await factories.user(db.prisma);
    const t1 = generateSessionToken();
    const t2 = generateSessionToken();
    const s1 = await createSession(db.prisma, t1, user.id, config);
    await createSession(db.prisma, t2, user.id, config);
    await invalidateSession(db.prisma, s1.id);
    expect((await validateSessionToken(db.prisma, t1, config)).user).toBeNull();
    expect((await validateSessionToken(db.prisma, t2, config)).user).not.toBeNull();
    expect(await invalidateUserSessions(db.prisma, user.id)).toBe(1);
    expect((await validateSessionToken(db.prisma, t2, config)).user).toBeNull();
  });

  it("reuses a just-validated session for a few seconds, but forgets the ones this process ends at once", async () => {
    const { user } = await factories.user(db.prisma, { role: "staff" });
    const reuse = { reuseRecent: true };
    const [t1, t2, t3] = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
    const s1 = await createSession(db.prisma, t1, user.id, config);
    const s2 = await createSession(db.prisma, t2, user.id, config);
    await createSession(db.prisma, t3, user.id, config);
    for (const t of [t1, t2, t3]) expect((await validateSessionToken(db.prisma, t, config, reuse)).user?.id).toBe(user.id);

    // Ended elsewhere (another server, the back-office): still served here within the window...
    await db.prisma.session.deleteMany({ where: { id: s2.id } });
    expect((await validateSessionToken(db.prisma, t2, config, reuse)).user?.id).toBe(user.id);
    // ...while callers that do not opt in always read the database.
    expect((await validateSessionToken(db.prisma, t2, config)).user).toBeNull();
    expect((await validateSessionToken(db.prisma, t2, config, reuse)).user).toBeNull();

    // Ended by this process: refused at the very next request.
    await invalidateSession(db.prisma, s1.id);
    expect((await validateSessionToken(db.prisma, t1, config, reuse)).user).toBeNull();
    await invalidateUserSessions(db.prisma, user.id);
    expect((await validateSessionToken(db.prisma, t3, config, reuse)).user).toBeNull();
  });

  it("cookie options are httpOnly, lax, secure only in production", () => {
    const exp = new Date();
    expect(sessionCookieOptions({ production: false }, exp)).toEqual({ path: "/", httpOnly: true, sameSite: "lax", secure: false, expires: exp });
    expect(sessionCookieOptions({ production: true }, exp).secure).toBe(true);
  });

  it("resumeSession re-issues a valid session's cookie and deletes an ended or malformed one", async () => {
    const { user } = await factories.user(db.prisma, { role: "staff", name: "Door Two" });
    const token = generateSessionToken();
    const session = await createSession(db.prisma, token, user.id, config);
    const cookies = memoryCookies();
    expect(await resumeSession(db.prisma, config, cookies)).toEqual({ user: null, sessionId: null });
    cookies.values.set(SESSION_COOKIE_NAME, token);
    expect(await resumeSession(db.prisma, config, cookies)).toEqual({
      user: { id: user.id, email: user.email, name: "Door Two", role: "staff" },
      sessionId: session.id,
    });
    expect(cookies.values.get(SESSION_COOKIE_NAME)).toBe(token);

    // Signed out (this process forgets its reused copy at once, ADR-0020).
    await invalidateSession(db.prisma, session.id);
    expect(await resumeSession(db.prisma, config, cookies)).toEqual({ user: null, sessionId: null });
    expect(cookies.values.has(SESSION_COOKIE_NAME)).toBe(false);
    cookies.values.set(SESSION_COOKIE_NAME, "not-a-token!");
    expect(await resumeSession(db.prisma, config, cookies)).toEqual({ user: null, sessionId: null });
    expect(cookies.values.has(SESSION_COOKIE_NAME)).toBe(false);
  });
});
