// `npm start` smoke test: the all-in-one server on the embedded database in a temporary
// folder, as a newcomer would run it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "scripts", "serve.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", SMTP_URL: "", NODE_ENV: "development", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 120 s:\n${output}`)), 120_000);
    child.stdout!.on("data", () => {
      if (output.includes("Press Ctrl+C to stop.")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
  return { child, ready, output: () => output };
}

function waitForExit(child: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("did not stop in time")), ms);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe("npm start on the embedded database", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sipario-start-"));
  let server: ReturnType<typeof startServer>;
  let ports: { site: number; backoffice: number; smtp: number; mailUi: number };

  beforeAll(async () => {
    ports = { site: await freePort(), backoffice: await freePort(), smtp: await freePort(), mailUi: await freePort() };
    server = startServer({
      SIPARIO_DATA_DIR: dataDir,
      PORT: String(ports.site),
      BACKOFFICE_PORT: String(ports.backoffice),
      MAIL_SMTP_PORT: String(ports.smtp),
      MAIL_UI_PORT: String(ports.mailUi),
      ORIGIN: `http://127.0.0.1:${ports.site}`,
    });
    await server.ready;
  }, 150_000);

  afterAll(() => {
    if (server?.child.exitCode === null) server.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints the URLs, where mail goes and the demo logins", () => {
    const out = server.output();
    expect(out).toContain(`http://127.0.0.1:${ports.site}`);
    expect(out).toContain(`:${ports.backoffice}/admin`);
    expect(out).toMatch(/Mail: +caught locally, read it at http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/admin +admin@azionelab\.example +password: \S{12,}/);
    expect(out).toMatch(/staff +staff@azionelab\.example +password: \S{12,}/);
  });

  it("serves the home page with a seeded show", async () => {
    const res = await fetch(`http://127.0.0.1:${ports.site}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/Le serve|Aspettando Godot|Sei personaggi/);
  });

  it("logs in to the back-office with the printed demo admin", async () => {
    const password = /admin +admin@azionelab\.example +password: (\S+)/.exec(server.output())![1]!;
    const base = `http://127.0.0.1:${ports.backoffice}`;
    const login = await fetch(`${base}/admin/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
      body: new URLSearchParams({ email: "admin@azionelab.example", password }),
    });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).not.toMatch(/login/);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const dashboard = await fetch(`${base}/admin`, { headers: { cookie }, redirect: "manual" });
    expect(dashboard.status).toBe(200);

    const wrong = await fetch(`${base}/admin/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
      body: new URLSearchParams({ email: "admin@azionelab.example", password: `${password}x` }),
    });
    expect(wrong.status).not.toBe(302);
  });

  it("stops cleanly on SIGINT", async () => {
    server.child.kill("SIGINT");
    expect(await waitForExit(server.child, 20_000)).toBe(0);
    expect(server.output()).toContain("Stopped.");
  });

  it("a second start on the same data neither reseeds nor prints new passwords", async () => {
    const again = startServer({
      SIPARIO_DATA_DIR: dataDir,
      PORT: String(ports.site),
      BACKOFFICE_PORT: String(ports.backoffice),
      MAIL_SMTP_PORT: String(ports.smtp),
      MAIL_UI_PORT: String(ports.mailUi),
    });
    try {
      await again.ready;
      expect(again.output()).not.toContain("password:");
      expect(again.output()).not.toContain("demo data");
    } finally {
      again.child.kill("SIGINT");
      await waitForExit(again.child, 20_000);
    }
  }, 150_000);
});

describe("start-up failures", () => {
  const run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(root, "scripts", "serve.ts")], {
        cwd: root,
        env: { ...process.env, NODE_ENV: "development", SMTP_URL: "smtp://127.0.0.1:1", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (c) => (output += c));
      child.stderr.on("data", (c) => (output += c));
      child.on("exit", (code) => resolve({ code, output }));
    });

  it("a malformed DATABASE_URL: one clear line, non-zero exit", async () => {
    const { code, output } = await run({ DATABASE_URL: "not a url" });
    expect(code).not.toBe(0);
    expect(output.trim().split("\n")).toHaveLength(1);
    expect(output).toMatch(/^error: DATABASE_URL is not a valid URL/);
  });

  it("an unreachable database: one clear line, non-zero exit", async () => {
    const { code, output } = await run({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/sipario" });
    expect(code).not.toBe(0);
    expect(output.trim().split("\n")).toHaveLength(1);
    expect(output).toMatch(/Cannot reach PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:1\/sipario/);
  });

  it("a port in use: names the port and the variable", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), "sipario-port-"));
    try {
      const { code, output } = await run({ SIPARIO_DATA_DIR: dataDir, DATABASE_URL: "", PORT: String(port), BACKOFFICE_PORT: String(await freePort()) });
      expect(code).not.toBe(0);
      expect(output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(output).toContain("set PORT to another port");
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("production without SESSION_SECRET refuses to start", async () => {
    const { code, output } = await run({ NODE_ENV: "production", ORIGIN: "https://tickets.example", SESSION_SECRET: "" });
    expect(code).not.toBe(0);
    expect(output).toMatch(/SESSION_SECRET is required when NODE_ENV=production/);
  });
});
