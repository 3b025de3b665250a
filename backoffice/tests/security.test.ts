import { ADMIN_DEVICE_COOKIE_NAME } from "@sipario/api";
import { request } from "node:http";
import { verifyPassword } from "@sipario/db";
import { factories } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, form, login, startBackoffice, type Harness } from "./helpers.ts";

/**
 * Attack classes against the back-office (issue 13): path casing, methods that skip
 * checks. Each test failed on the code before its fix.
 */

let h: Harness;
let admin: { id: string; email: string; password: string };

beforeAll(async () => {
  h = await startBackoffice();
  const a = await factories.user(h.db.prisma, { role: "admin" });
  admin = { id: a.user.id, email: a.user.email, password: a.password };
});
afterAll(async () => {
  await h?.stop();
});

/** Every casing of "admin" but the real one: Admin, aDmin, ..., ADMIN (31 of them). */
function otherCasings(word = "admin"): string[] {
  const out: string[] = [];
  for (let mask = 1; mask < 1 << word.length; mask++) {
    out.push([...word].map((c, i) => (mask & (1 << i) ? c.toUpperCase() : c)).join(""));
  }
  return out;
}

describe("path casing", () => {
  it("answers 404 to every other casing of /admin, for pages, the API, the login and the export, and sets no cookie", async () => {
    const { cookie } = await login(h.base, admin.email, admin.password);
    expect(cookie).not.toBeNull();
    const casings = otherCasings();
    expect(casings).toHaveLength(31);
    let requests = 0;
    for (const root of casings) {
      const attempts: [string, string, RequestInit][] = [
        ["POST", `/${root}/login`, { body: form({ email: admin.email, password: admin.password }) }],
        ["GET", `/${root}`, {}],
        ["GET", `/${root}/login`, {}],
        ["GET", `/${root}/api/resources/User/actions/list`, { headers: { cookie: cookie! } }],
        ["POST", `/${root}/api/resources/Venue/actions/new`, { body: form({ name: "Casing", city: "Roma" }), headers: { cookie: cookie! } }],
        ["GET", `/${root}/export/performances/00000000-0000-4000-8000-000000000000/reservations.csv`, { headers: { cookie: cookie! } }],
      ];
      for (const [method, path, init] of attempts) {
        const response = await fetch(`${h.base}${path}`, { method, redirect: "manual", ...init, headers: { origin: h.base, ...(init.headers as object) } });
        requests++;
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(response.headers.get("set-cookie"), `${method} ${path}`).toBeNull();
      }
    }
    expect(requests).toBe(31 * 6);
    expect(await h.db.prisma.venue.count({ where: { name: "Casing" } })).toBe(0);
    // Inside /admin too: AdminJS's own routes are matched with their exact casing.
    for (const path of ["/admin/LOGIN", "/admin/API/resources/User/actions/list", "/admin/api/Resources/User/actions/list"]) {
      const response = await fetch(`${h.base}${path}`, { headers: { cookie: cookie! }, redirect: "manual" });
      expect(response.status, path).toBe(404);
    }
    // Control: the real casing works with the same cookie.
    expect((await adminApi(h.base, cookie).get("/resources/User/actions/list")).status).toBe(200);
  });

  it("gives a demoted admin nothing through another casing (the old in-memory fallback session)", async () => {
    const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
    const signIn = await fetch(`${h.base}/ADMIN/login`, {
      method: "POST",
      body: form({ email: user.email, password }),
      headers: { origin: h.base },
      redirect: "manual",
    });
    const cookie = signIn.headers.get("set-cookie")?.split(";")[0];
    await h.db.prisma.user.update({ where: { id: user.id }, data: { role: "staff" } });
    const users = await fetch(`${h.base}/ADMIN/api/resources/User/actions/list`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
    expect(users.status).toBe(404);
    const promote = await fetch(`${h.base}/ADMIN/api/resources/User/records/${user.id}/edit`, {
      method: "POST",
      body: form({ role: "admin" }),
      headers: { origin: h.base, ...(cookie ? { cookie } : {}) },
      redirect: "manual",
    });
    expect(promote.status).toBe(404);
    expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("staff");
  });

  it("names one cookie, scoped to /admin, for every AdminJS session (no fallback session with Path=/)", async () => {
    const { response } = await login(h.base, admin.email, admin.password);
    const cookies = response.headers.getSetCookie();
    // The session cookie, and the api's device cookie (login lockout), nothing else.
    const sessions = cookies.filter((c) => !c.startsWith(`${ADMIN_DEVICE_COOKIE_NAME}=`));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatch(/^sipario_admin=/);
    expect(sessions[0]).toMatch(/Path=\/admin;/);
    expect(sessions[0]).toMatch(/HttpOnly/);
    expect(sessions[0]).toMatch(/SameSite=Lax/);
  });
});

describe("methods", () => {
  it("refuses a HEAD that would run an action: without our Origin (CSRF), and with it (/admin/api takes no HEAD)", async () => {
    const { cookie } = await login(h.base, admin.email, admin.password);
    const page = await h.db.prisma.page.create({ data: { title: "Chi siamo", slug: "chi-siamo-head", body: "Testo", locale: "it" } });
    const head = (headers: Record<string, string>) =>
      fetch(`${h.base}/admin/api/resources/Page/records/${page.id}/delete`, { method: "HEAD", headers: { cookie: cookie!, ...headers }, redirect: "manual" });
    // A same-site page's fetch(..., { method: "HEAD", credentials: "include" }): its own Origin.
    expect((await head({ origin: "https://www.azionelab.example" })).status).toBe(403);
    expect((await head({})).status).toBe(403);
    // Even from the back-office itself, HEAD runs no action.
    expect((await head({ origin: h.base })).status).toBe(405);
    expect(await h.db.prisma.page.count({ where: { id: page.id } })).toBe(1);
    // Control: the POST from the back-office deletes it.
    const post = await fetch(`${h.base}/admin/api/resources/Page/records/${page.id}/delete`, {
      method: "POST",
      headers: { cookie: cookie!, origin: h.base },
      redirect: "manual",
    });
    expect(post.status).toBe(200);
    expect(await h.db.prisma.page.count({ where: { id: page.id } })).toBe(0);
  });

  it("checks the Origin of every method but GET and OPTIONS", async () => {
    const { cookie } = await login(h.base, admin.email, admin.password);
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "HEAD", "PROPFIND", "LOCK"]) {
      const response = await fetch(`${h.base}/admin/api/resources/Venue/actions/new`, {
        method,
        headers: { cookie: cookie!, origin: "https://evil.example" },
        redirect: "manual",
      });
      expect(response.status, method).toBe(403);
    }
    const get = await fetch(`${h.base}/admin/api/resources/Venue/actions/list`, { headers: { cookie: cookie!, origin: "https://evil.example" } });
    expect(get.status).toBe(200); // reads are not state changes; the cookie is SameSite=Lax
  });
});

/**
 * Streams up to `total` bytes as a chunked body, stopping when the server answers or
 * drops the connection. Returns the status (null: connection cut) and the bytes sent.
 */
function chunkedFlood(url: string, total: number, headers: Record<string, string>): Promise<{ status: number | null; sent: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    const chunk = Buffer.alloc(64 * 1024, "a");
    const req = request(url, { method: "POST", headers });
    const finish = (status: number | null) => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ status, sent });
    };
    req.on("response", (res) => {
      res.resume();
      finish(res.statusCode ?? null);
    });
    req.on("error", () => finish(null));
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

describe("request bodies", () => {
  it("refuses a chunked flood early, whatever its type, and stays within 50 MB of memory", async () => {
    const { cookie } = await login(h.base, admin.email, admin.password);
    const floods = [
      ["/admin/login", { "content-type": "application/json" }],
      ["/admin/login", { "content-type": "application/x-www-form-urlencoded" }],
      ["/admin/login", { "content-type": "multipart/form-data; boundary=x" }],
      ["/admin/api/resources/Venue/actions/new", { "content-type": "application/json", cookie: cookie! }],
      ["/admin/api/resources/Venue/actions/new", { "content-type": "application/octet-stream", cookie: cookie! }],
    ] as const;
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      for (const [path, headers] of floods) {
        const flood = await chunkedFlood(`${h.base}${path}`, 200 * 1024 * 1024, { origin: h.base, ...headers });
        expect([413, 415], `${path} ${headers["content-type"]}`).toContain(flood.status);
        // Refused after about 1 MB: what is in flight in the sockets' buffers, not 200 MB.
        expect(flood.sent, `${path} ${headers["content-type"]}`).toBeLessThan(16 * 1024 * 1024);
      }
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect((peak - before) / 1024 / 1024).toBeLessThan(50);
    // Control: the server still answers.
    expect((await fetch(`${h.base}/admin/login`)).status).toBe(200);
  });

  it("takes no JSON on the login form, and answers malformed bodies with 4xx", async () => {
    const post = (path: string, body: string, type: string) =>
      fetch(`${h.base}${path}`, { method: "POST", body, headers: { origin: h.base, "content-type": type }, redirect: "manual" });
    expect((await post("/admin/login", "{", "application/json")).status).toBe(415);
    expect((await post("/admin/login", JSON.stringify({ email: admin.email, password: admin.password }), "application/json")).status).toBe(415);
    expect((await post("/admin/login", "email=a", "text/plain")).status).toBe(415);
    const { cookie } = await login(h.base, admin.email, admin.password);
    const api = (body: string, type = "application/json") =>
      fetch(`${h.base}/admin/api/resources/Venue/actions/new`, {
        method: "POST",
        body,
        headers: { origin: h.base, cookie: cookie!, "content-type": type },
        redirect: "manual",
      });
    for (const body of ["{", "[1,2]", '"x"', "null", '{"__proto__":{"polluted":1}}', '{"constructor.prototype.polluted":"1"}', '{"name":{"nested":1}}']) {
      expect((await api(body)).status, body).toBe(400);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Control: the JSON the back-office's own confirmation screens send is accepted.
    const ok = await api(JSON.stringify({ name: "Teatro JSON", city: "Roma" }));
    expect(ok.status).toBe(200);
  });
});

describe("responses", () => {
  it("never echoes a password in the User create or edit response", async () => {
    const { cookie } = await login(h.base, admin.email, admin.password);
    const api = adminApi(h.base, cookie);
    const created = await api.post("/resources/User/actions/new", {
      email: "echo@example.org",
      name: "Echo",
      role: "staff",
      password: "first-secret-password",
    });
    expect(created.status).toBe(200);
    expect(created.json.record.errors).toEqual({});
    expect(JSON.stringify(created.json)).not.toContain("first-secret-password");
    const edited = await api.post(`/resources/User/records/${created.json.record.id}/edit`, { name: "Echo", password: "second-secret-password" });
    expect(edited.status).toBe(200);
    expect(edited.json.record.errors).toEqual({});
    expect(JSON.stringify(edited.json)).not.toContain("second-secret-password");
    // Control: the edit did set the new password.
    const stored = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "echo@example.org" } });
    expect(await verifyPassword(stored.passwordHash, "second-secret-password")).toBe(true);
  });
});

describe("Content-Security-Policy (issue 13, finding 17)", () => {
  it("every /admin page allows exactly its own inline scripts by hash, our files, and nothing else", async () => {
    const { cookie } = await login(h.base, admin.email, admin.password);
    for (const path of ["/admin/login", "/admin", "/admin/resources/Show"]) {
      const page = await fetch(`${h.base}${path}`, { headers: cookie && path !== "/admin/login" ? { cookie } : {} });
      expect(page.status, path).toBe(200);
      const policy = page.headers.get("content-security-policy") ?? "";
      const html = await page.text();
      const directives = Object.fromEntries(
        policy
          .split(";")
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values]),
      );
      expect(directives["default-src"], path).toEqual(["'self'"]);
      expect(directives["frame-ancestors"], path).toEqual(["'none'"]);
      expect(directives["object-src"], path).toEqual(["'none'"]);
      expect(directives["form-action"], path).toEqual(["'self'"]);
      // Scripts: no 'unsafe-inline', no eval; one hash per inline script of this very page.
      const scriptSrc = directives["script-src"] as string[];
      expect(scriptSrc, path).not.toContain("'unsafe-inline'");
      expect(scriptSrc, path).not.toContain("'unsafe-eval'");
      const inline = [...html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)].filter((m) => !/\ssrc\s*=/i.test(m[1] ?? ""));
      expect(inline.length, path).toBeGreaterThan(0);
      expect(
        scriptSrc.filter((s) => s.startsWith("'sha256-")),
        path,
      ).toHaveLength(inline.length);
      // Inline styles only: AdminJS's design system writes <style> at run time.
      expect(directives["style-src"], path).toEqual(["'self'", "'unsafe-inline'"]);
      expect(policy, path).not.toMatch(/https?:|\*/);
    }
  });
});
