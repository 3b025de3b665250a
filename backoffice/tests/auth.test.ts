import type { AddressInfo } from "node:net";
import { loadConfig, updateUserAsAdmin } from "@sipario/api";
import { hashPassword } from "@sipario/db";
import { factories } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackofficeApp } from "../src/app.ts";
import { adminApi, form, login, startBackoffice, type Harness } from "./helpers.ts";

let h: Harness;
let admin: { email: string; password: string };
let staff: { email: string; password: string };

beforeAll(async () => {
  h = await startBackoffice();
  const a = await factories.user(h.db.prisma, { role: "admin" });
  const s = await factories.user(h.db.prisma, { role: "staff" });
  admin = { email: a.user.email, password: a.password };
  staff = { email: s.user.email, password: s.password };
});
afterAll(async () => {
  await h?.stop();
});

/** The error key or message the login page was rendered with (its props are inline JSON). */
function loginError(html: string): string | null {
  const match = /"errorMessage":(null|"([^"]*)")/.exec(html);
  if (!match) throw new Error("not the AdminJS login page");
  return match[2] ?? null;
}

// Every kind of admin route: pages, the REST API (read and write), the export, the dashboard.
const routes = [
  ["GET", "/admin"],
  ["GET", "/admin/resources/Show"],
  ["GET", "/admin/api/resources/Show/actions/list"],
  ["GET", "/admin/api/resources/User/actions/list"],
  ["GET", "/admin/api/dashboard"],
  ["POST", "/admin/api/resources/Venue/actions/new"],
  ["POST", "/admin/api/resources/Reservation/bulk/bulkCancel?recordIds=00000000-0000-4000-8000-000000000000"],
  ["GET", "/admin/export/performances/00000000-0000-4000-8000-000000000000/reservations.csv"],
] as const;

describe("back-office login", () => {
  it("signs in an admin, with a session cookie that is httpOnly, SameSite=Lax and scoped to /admin", async () => {
    const { response, cookie } = await login(h.base, admin.email, admin.password);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin");
    const setCookie = response.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\/admin/);
    expect(setCookie).not.toMatch(/Secure/); // not production
    const list = await adminApi(h.base, cookie).get("/resources/Show/actions/list");
    expect(list.status).toBe(200);
    expect(list.json.records).toEqual([]);
    // The session lives in PostgreSQL (shared by every back-office process), without secrets.
    if (h.db.url) {
      expect(h.app.sessionStore).toBe("postgres");
      const rows = await h.db.prisma.$queryRawUnsafe<{ sess: unknown }[]>(`SELECT "sess" FROM "backoffice_session"`);
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).toContain(admin.email);
      expect(JSON.stringify(rows)).not.toMatch(/argon2|password/i);
    }
  });

  it("rejects a wrong password and a staff account with the same message, and no session", async () => {
    const wrong = await login(h.base, admin.email, `${admin.password}x`);
    const unknown = await login(h.base, "nobody@example.org", "whatever-password");
    const staffLogin = await login(h.base, staff.email, staff.password);
    for (const attempt of [wrong, unknown, staffLogin]) {
      expect(attempt.response.status).toBe(200); // the login page again
      expect(attempt.cookie).toBeNull();
      expect(loginError(attempt.body)).toBe("invalidCredentials"); // shown as "Wrong email or password."
    }
    // Same page apart from nothing user-specific: staff learns nothing more than a stranger.
    expect(staffLogin.body.replace(/\s+/g, "")).toBe(wrong.body.replace(/\s+/g, ""));
  });

  it("refuses anonymous requests to every admin route", async () => {
    for (const [method, path] of routes) {
      const response = await fetch(`${h.base}${path}`, {
        method,
        redirect: "manual",
        headers: { origin: h.base },
        ...(method === "POST" ? { body: form({ name: "x" }) } : {}),
      });
      expect([302, 401], `${method} ${path}`).toContain(response.status);
      if (response.status === 302) expect(response.headers.get("location")).toBe("/admin/login");
    }
    expect(await h.db.prisma.venue.count()).toBe(0);
  });

  it("refuses a staff user's requests to every admin route, even after a login attempt", async () => {
    const { cookie } = await login(h.base, staff.email, staff.password);
    expect(cookie).toBeNull();
    // Whatever cookie a staff member might hold (e.g. the site's), it is not an admin session.
    for (const [method, path] of routes) {
      const response = await fetch(`${h.base}${path}`, {
        method,
        redirect: "manual",
        headers: { origin: h.base, cookie: "sipario_session=forged; sipario_admin=s%3Aforged.sig" },
        ...(method === "POST" ? { body: form({ name: "x" }) } : {}),
      });
      expect([302, 401], `${method} ${path}`).toContain(response.status);
    }
  });

  it("drops the session of an admin demoted to staff", async () => {
    const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
    const { cookie } = await login(h.base, user.email, password);
    const api = adminApi(h.base, cookie);
    expect((await api.get("/resources/Show/actions/list")).status).toBe(200);
    await h.db.prisma.user.update({ where: { id: user.id }, data: { role: "staff" } });
    const after = await api.get("/resources/Show/actions/list");
    expect(after.status).toBe(302);
    expect(after.location).toBe("/admin/login");
  });

  it("ends the sessions of an admin whose password changed", async () => {
    const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
    const { cookie } = await login(h.base, user.email, password);
    const api = adminApi(h.base, cookie);
    expect((await api.get("/resources/Show/actions/list")).status).toBe(200);
    // Control: an unrelated edit of the user keeps the session.
    await h.db.prisma.user.update({ where: { id: user.id }, data: { name: "Renamed" } });
    expect((await api.get("/resources/Show/actions/list")).status).toBe(200);
    await h.db.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword("a-brand-new-password") } });
    const after = await api.get("/resources/Show/actions/list");
    expect(after.status).toBe(302);
    expect(after.location).toBe("/admin/login");
  });

  it("ends the sessions of an admin whose role changed, even when it changed back (issue 13, finding 8)", async () => {
    const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
    const { cookie } = await login(h.base, user.email, password);
    const api = adminApi(h.base, cookie);
    expect((await api.get("/resources/Show/actions/list")).status).toBe(200);
    // Demoted and promoted back between two of its requests, through the one user service.
    const actor = { userId: null, label: "test" };
    await updateUserAsAdmin(h.db.prisma, user.id, { role: "staff" }, actor);
    await updateUserAsAdmin(h.db.prisma, user.id, { role: "admin" }, actor);
    const after = await api.get("/resources/Show/actions/list");
    expect(after.status).toBe(302);
    expect(after.location).toBe("/admin/login");
  });

  it("accepts a POST only from the back-office's own origin", async () => {
    const { cookie } = await login(h.base, admin.email, admin.password);
    const post = (headers: Record<string, string>) =>
      fetch(`${h.base}/admin/api/resources/Venue/actions/new`, {
        method: "POST",
        body: form({ name: "Teatro CSRF", city: "Roma" }),
        headers: { cookie: cookie!, ...headers },
        redirect: "manual",
      });
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);
    expect((await post({})).status).toBe(403); // neither Origin nor Referer
    expect((await post({ referer: "https://evil.example/page" })).status).toBe(403);
    expect(await h.db.prisma.venue.count({ where: { name: "Teatro CSRF" } })).toBe(0);
    // The login form is protected too (login CSRF).
    const loginFromElsewhere = await fetch(`${h.base}/admin/login`, {
      method: "POST",
      body: form({ email: admin.email, password: admin.password }),
      headers: { origin: "https://evil.example" },
      redirect: "manual",
    });
    expect(loginFromElsewhere.status).toBe(403);
    // Control: the same request from the back-office itself goes through.
    const ok = await post({ referer: `${h.base}/admin/resources/Venue/actions/new` });
    expect(ok.status).toBe(200);
    expect(await h.db.prisma.venue.count({ where: { name: "Teatro CSRF" } })).toBe(1);
  });

  it("rate limits sign-in attempts per account", async () => {
    const { user } = await factories.user(h.db.prisma, { role: "admin" });
    const answers: number[] = [];
    let lastBody = "";
    for (let i = 0; i < 7; i++) {
      const attempt = await login(h.base, user.email, `wrong-password-${i}`);
      answers.push(attempt.response.status);
      lastBody = attempt.body;
    }
    // loginPerAccount allows 5 per window; then the form says so (AdminJS answers 400).
    expect(answers.slice(0, 5).every((s) => s === 200)).toBe(true);
    expect(answers.at(-1)).toBe(400);
    expect(loginError(lastBody)).toMatch(/^Too many sign-in attempts/);
    // Control: the login page without an error has no message.
    expect(loginError(await (await fetch(`${h.base}/admin/login`)).text())).toBeNull();
  });

  it("answers /healthz and /readyz without a session", async () => {
    const health = await fetch(`${h.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${h.base}/readyz`);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    expect(body.checks.database).toEqual({ ok: true });
    expect(body.checks.migrations).toEqual({ ok: true });
    expect(body.checks.smtp?.ok).toBe(false); // SMTP_URL unset in this file
    expect(ready.status).toBe(503);
  });
});

describe("in production", () => {
  it("sets a Secure cookie behind a TLS proxy and accepts POSTs only from BACKOFFICE_ORIGIN", async () => {
    const config = loadConfig({
      NODE_ENV: "production",
      SESSION_SECRET: "p".repeat(48),
      ORIGIN: "https://azionelab.example",
      BACKOFFICE_ORIGIN: "https://admin.azionelab.example",
      ...(h.db.url ? { DATABASE_URL: h.db.url } : {}),
      RATE_LIMITS: "false",
    });
    const app = await createBackofficeApp({ prisma: h.db.prisma, config });
    const server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const signIn = (origin: string) =>
        fetch(`${base}/admin/login`, {
          method: "POST",
          body: form({ email: admin.email, password: admin.password }),
          headers: { origin, "x-forwarded-proto": "https" },
          redirect: "manual",
        });
      // The address the browser used is not enough in production: only the configured origin.
      expect((await signIn(base)).status).toBe(403);
      const ok = await signIn("https://admin.azionelab.example");
      expect(ok.status).toBe(302);
      const cookie = ok.headers.get("set-cookie")!;
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    }
  });
});

describe("request bodies", () => {
  it("drops uploaded files unread and refuses oversized bodies", async () => {
    const { readdirSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith("upload_")));
    const upload = new FormData();
    upload.set("email", admin.email);
    upload.set("password", "wrong-password-x");
    upload.set("poster", new Blob([Buffer.alloc(200_000, 1)]), "big.bin");
    const res = await fetch(`${h.base}/admin/login`, { method: "POST", body: upload, headers: { origin: h.base }, redirect: "manual" });
    expect(res.status).toBe(200); // the login page: the fields were read
    const after = readdirSync(tmpdir()).filter((f) => f.startsWith("upload_") && !before.has(f));
    expect(after).toEqual([]);

    const huge = new FormData();
    huge.set("email", "x".repeat(1_100_000));
    const big = await fetch(`${h.base}/admin/login`, { method: "POST", body: huge, headers: { origin: h.base }, redirect: "manual" });
    expect(big.status).toBe(413);
  });
});
