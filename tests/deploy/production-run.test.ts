import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * Runs the container commands of compose.yaml outside Docker, with the environment compose
 * would give them from a filled-in .env: migrate (one-shot), site and backoffice, then
 * their healthcheck commands. Proves the commands, the interpolated configuration and
 * the production build work together, without a Docker engine.
 */

const root = join(import.meta.dirname, "..", "..");
const compose = parse(readFileSync(join(root, "compose.yaml"), "utf8"), { merge: true }) as {
  services: Record<string, { command: string[]; environment: Record<string, string | number>; healthcheck?: { test: string[] } }>;
};
const siteBuilt = existsSync(join(root, "site", "build", "index.js"));
const haveCaddy = spawnSync("caddy", ["version"]).status === 0;

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, nested. */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  let out = "";
  for (let i = 0; i < value.length; ) {
    if (value.startsWith("$$", i)) {
      out += "$";
      i += 2;
    } else if (value.startsWith("${", i)) {
      let depth = 1;
      let j = i + 2;
      while (j < value.length && depth > 0) {
        if (value.startsWith("${", j)) {
          depth++;
          j += 2;
        } else {
          if (value[j] === "}") depth--;
          j++;
        }
      }
      const body = value.slice(i + 2, j - 1);
      const m = body.match(/^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([\s\S]*))?$/);
      if (!m) throw new Error(`bad interpolation: \${${body}}`);
      const [, name, colon, op, rest = ""] = m;
      const current = env[name!];
      const missing = colon ? !current : current === undefined;
      if (op === "-") out += missing ? interpolate(rest, env) : current;
      else if (op === "?") {
        if (missing) throw new Error(`required variable ${name} is missing: ${rest}`);
        out += current;
      } else out += current ?? "";
      i = j;
    } else {
      out += value[i];
      i++;
    }
  }
  return out;
}

/** .env.example as compose reads it, with the REQUIRED secrets filled in by the operator. */
function dotenv(overrides: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(root, ".env.example"), "utf8").split("\n")) {
    const m = line.match(/^([A-Z][A-Z0-9_]*)=(.*)$/);
    if (m) env[m[1]!] = m[2]!.replace(/^"(.*)"$/, "$1");
  }
  return { ...env, ...overrides };
}

function serviceEnv(service: string, dot: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(compose.services[service]!.environment)) env[key] = interpolate(String(value), dot);
  return env;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForJson(url: string, timeoutMs: number, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${url} answered:\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return (await res.json()) as Record<string, unknown>;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer in ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The environment of a container's process, plus Node's own TypeScript support switched
 * off: the image runs compiled JavaScript only, so importing any .ts file (a workspace
 * package's source, a forgotten `--import tsx`) must fail here as it would in the image.
 */
function productionNodeEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_OPTIONS: "--no-experimental-strip-types" };
}

function start(service: string, env: Record<string, string>) {
  const [cmd, ...args] = compose.services[service]!.command;
  const child = spawn(cmd!, args, { cwd: root, env: { ...productionNodeEnv(), ...env } });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return { child, output: () => output.slice(-4000) };
}

async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Runs deploy/Caddyfile in front of the running apps and checks its routing. */
async function checkThroughCaddy(sitePort: number, boPort: number) {
  const proxyPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "sipario-caddy-"));
  const original = readFileSync(join(root, "deploy", "Caddyfile"), "utf8");
  const config = `{\n\tadmin off\n\tauto_https off\n}\n${original
    .replaceAll("reverse_proxy backoffice:3001", `reverse_proxy 127.0.0.1:${boPort}`)
    .replace(/name site\n(\s*)port 3000/, `name localhost\n$1port ${sitePort}`)}`;
  expect(config).toContain(`port ${sitePort}`);
  expect(config).toContain(`127.0.0.1:${boPort}`);
  writeFileSync(join(dir, "Caddyfile"), config);
  const caddy = spawn("caddy", ["run", "--adapter", "caddyfile", "--config", join(dir, "Caddyfile")], {
    env: { PATH: process.env.PATH ?? "", HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, DOMAIN: `http://127.0.0.1:${proxyPort}` },
  });
  let output = "";
  caddy.stderr!.on("data", (d) => (output += d));
  try {
    const base = `http://127.0.0.1:${proxyPort}`;
    await waitForJson(`${base}/healthz`, 15_000, caddy, () => output.slice(-3000));
    // The site behind the proxy: it gets the visitor's address from X-Forwarded-For.
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get("strict-transport-security")).toContain("max-age=");
    expect(home.headers.get("server")).toBeNull();
    expect(home.headers.get("content-security-policy")).toBeTruthy();
    // /admin* goes to the back-office (its login page), the rest to the site.
    const login = await fetch(`${base}/admin/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toMatch(/adminjs/i);
    const ready = (await (await fetch(`${base}/readyz`)).json()) as { status: string };
    expect(ready.status).toBe("ready");
    // No access log: the proxy's output never contains request paths (they carry tokens).
    await fetch(`${base}/tickets/${"t".repeat(43)}`);
    expect(output).not.toContain("t".repeat(43));
  } finally {
    await stop(caddy);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("interpolate", () => {
  it("follows compose's rules", () => {
    expect(interpolate("${A:-x}/${B-y}/${C}", { A: "", B: "" })).toBe("x//");
    expect(interpolate("${A:-${B:-z}}", {})).toBe("z");
    expect(interpolate("$${HOME}", {})).toBe("${HOME}");
    expect(() => interpolate("${S:?set S}", { S: "" })).toThrow(/S is missing/);
  });

  it("makes compose refuse to start while a required secret is empty in .env.example", () => {
    expect(() => serviceEnv("site", dotenv({}))).toThrow(/required variable/);
  });
});

describe("compose's app commands, run outside Docker", () => {
  let db: TestDatabase;
  let site: ReturnType<typeof start> | undefined;
  let backoffice: ReturnType<typeof start> | undefined;

  beforeAll(async () => {
    db = await createTestDatabase({ setGlobal: false });
  });
  afterAll(async () => {
    await stop(site?.child);
    await stop(backoffice?.child);
    await db?.drop();
  });

  it("migrate, site and backoffice start in production mode and pass their healthchecks", async (ctx) => {
    if (db.server.kind !== "postgres") ctx.skip();
    // turbo builds the site first (this workspace depends on it); run `npm run build` when calling vitest directly.
    expect(siteBuilt, "site/build/index.js is missing: run npm run build").toBe(true);
    const [sitePort, boPort, smtpPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const dot = dotenv({
      DOMAIN: "tickets.example.test",
      SESSION_SECRET: "s".repeat(48),
      POSTGRES_PASSWORD: "unused-here",
      DATABASE_URL: db.url!,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      LOG_LEVEL: "warn",
    });

    // Fresh database: the one-shot job applies nothing (template is migrated) and exits 0.
    const migrateEnv = serviceEnv("migrate", dot);
    expect(migrateEnv.NODE_ENV).toBe("production");
    const [mcmd, ...margs] = compose.services.migrate!.command;
    const migrated = spawnSync(mcmd!, margs, { cwd: root, env: { ...productionNodeEnv(), ...migrateEnv }, encoding: "utf8", timeout: 60_000 });
    expect(migrated.status, migrated.stderr).toBe(0);

    // Same variables as in the container, on free loopback ports instead of 0.0.0.0:3000/3001.
    const siteEnv: Record<string, string> = { ...serviceEnv("site", dot), HOST: "127.0.0.1", PORT: String(sitePort), BACKGROUND_JOBS: "false" };
    const boEnv: Record<string, string> = { ...serviceEnv("backoffice", dot), HOST: "127.0.0.1", BACKOFFICE_PORT: String(boPort) };
    expect(siteEnv.ORIGIN).toBe("https://tickets.example.test");
    site = start("site", siteEnv);
    backoffice = start("backoffice", boEnv);

    const health = await waitForJson(`http://127.0.0.1:${sitePort}/healthz`, 45_000, site.child, site.output);
    expect(health.status).toBe("ok");
    const ready = await waitForJson(`http://127.0.0.1:${sitePort}/readyz`, 10_000, site.child, site.output);
    expect(ready).toMatchObject({ status: "ready", checks: { database: { ok: true }, migrations: { ok: true }, smtp: { ok: true } } });
    expect(JSON.stringify(ready)).not.toContain(db.url!);
    // As Caddy forwards it: compose sets ADDRESS_HEADER=X-Forwarded-For for the rate limits.
    const home = await fetch(`http://127.0.0.1:${sitePort}/`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(home.status, site.output()).toBe(200);

    await waitForJson(`http://127.0.0.1:${boPort}/healthz`, 90_000, backoffice.child, backoffice.output);
    const boReady = await waitForJson(`http://127.0.0.1:${boPort}/readyz`, 10_000, backoffice.child, backoffice.output);
    expect(boReady.status).toBe("ready");

    // The healthcheck commands compose runs inside the containers.
    for (const [service, port, container] of [
      ["site", sitePort, 3000],
      ["backoffice", boPort, 3001],
    ] as const) {
      const test = compose.services[service]!.healthcheck!.test;
      expect(test[0]).toBe("CMD");
      const [cmd, ...args] = test.slice(1).map((a) => a.replace(`127.0.0.1:${container}/`, `127.0.0.1:${port}/`));
      // Compose retries a failing check (retries: 3) before calling the service unhealthy.
      let check = spawnSync(cmd!, args, { encoding: "utf8", timeout: 15_000 });
      for (let attempt = 1; attempt < 3 && check.status !== 0; attempt++) check = spawnSync(cmd!, args, { encoding: "utf8", timeout: 15_000 });
      expect(check.status, `${service} healthcheck: ${check.stderr}`).toBe(0);
    }
    // ...and they fail when nothing answers.
    const dead = spawnSync(
      compose.services.site!.healthcheck!.test[1]!,
      compose.services.site!.healthcheck!.test.slice(2).map((a) => a.replace("127.0.0.1:3000/", `127.0.0.1:${smtpPort}/`)),
      {
        timeout: 15_000,
      },
    );
    expect(dead.status).not.toBe(0);

    // Through the proxy, when Caddy is installed (Debian package `caddy`): deploy/Caddyfile
    // with only the upstream addresses and the listener changed for loopback.
    // CI installs Caddy (.ci/run), so there the proxy check never silently drops out.
    if (process.env.CI && !haveCaddy) throw new Error("caddy is not installed: .ci/run installs it (apt-get install caddy)");
    if (haveCaddy) await checkThroughCaddy(sitePort, boPort);

    // docker stop sends SIGTERM: both processes must end by themselves (not by the
    // SIGKILL that stop() falls back to after 10 s), with the background jobs and pools closed.
    await stop(site.child);
    await stop(backoffice.child);
    expect([site.child.signalCode, backoffice.child.signalCode]).not.toContain("SIGKILL");
    expect(site.output()).not.toContain(dot.SESSION_SECRET!);
  }, 180_000);
});
