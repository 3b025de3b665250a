import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { hashPassword } from "../../packages/db/src/passwords.ts";
import { freePort, peakRssMiB, repoRoot } from "./processes.ts";

/**
 * The back-office as production runs it (`node backoffice/dist/server.js`, deploy/Dockerfile
 * and compose.yaml), for its peak RSS: the bench signs in as an admin and does what a box
 * office does while sales are open (lists, the reservation list of the rush's performance,
 * its CSV and XLSX exports), then reads VmHWM. Not a throughput scenario.
 */
export const backofficeEntry = join(repoRoot, "backoffice", "dist", "server.js");

export interface BackofficeProcess {
  pid: number;
  base: string;
  logFile: string;
  peakRssMiB(): number | null;
  stop(): Promise<void>;
}

export async function startBackoffice(databaseUrl: string, logDir: string, nodeArgs: string[] = []): Promise<BackofficeProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `backoffice-${port}.log`);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    BACKOFFICE_PORT: String(port),
    BACKOFFICE_ORIGIN: base,
    ORIGIN: "http://127.0.0.1:3000",
    HOST: "127.0.0.1",
    SESSION_SECRET: randomBytes(36).toString("base64url"),
    RATE_LIMITS: "false",
    BACKGROUND_JOBS: "false",
    // AdminJS bundles its front end into this directory at start (as in the image).
    ADMIN_JS_TMP_DIR: join(repoRoot, "bench", "results", "adminjs"),
    ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
  };
  const child = spawn(process.execPath, [...nodeArgs, backofficeEntry], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let alive = true;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      alive = false;
      resolve();
    }),
  );
  const proc: BackofficeProcess = {
    pid: child.pid!,
    base,
    logFile,
    peakRssMiB: () => (alive ? peakRssMiB(child.pid!) : null),
    stop: async () => {
      if (!alive) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (!alive) throw new Error(`the back-office exited before it was ready; see ${logFile}:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status < 500) return proc;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`the back-office was not ready within 120 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function backofficeIsBuilt(): boolean {
  return existsSync(backofficeEntry);
}

/** An admin account for the bench (argon2-hashed like any other); returns its credentials. */
export async function ensureBenchAdmin(pool: pg.Pool): Promise<{ email: string; password: string }> {
  const email = "admin@bench.test";
  const password = randomBytes(18).toString("base64url");
  await pool.query(
    `INSERT INTO "User" ("id","email","name","role","passwordHash","updatedAt")
     VALUES (gen_random_uuid(), $1, 'Bench admin', 'admin', $2, now())
     ON CONFLICT ("email") DO UPDATE SET "passwordHash" = EXCLUDED."passwordHash", "role" = 'admin', "updatedAt" = now()`,
    [email, await hashPassword(password)],
  );
  return { email, password };
}

export interface BackofficeWork {
  requests: number;
  failures: string[];
}

/**
 * A box office's work during the rush: sign in, then `rounds` times, `concurrency` admins at
 * once: the dashboard, the performances and reservations lists (AdminJS's API), the
 * reservation list filtered on the rush's performance, and that performance's CSV and XLSX
 * exports (thousands of rows, streamed).
 */
export async function backofficeWork(
  bo: BackofficeProcess,
  admin: { email: string; password: string },
  performanceId: string,
  rounds = 5,
  concurrency = 4,
): Promise<BackofficeWork> {
  const form = new FormData();
  form.set("email", admin.email);
  form.set("password", admin.password);
  // In production the session cookie is Secure: the app trusts the proxy's X-Forwarded-Proto
  // (deploy/Caddyfile terminates TLS), so the bench says what Caddy would.
  const proxied = { origin: bo.base, "x-forwarded-proto": "https" };
  const login = await fetch(`${bo.base}/admin/login`, { method: "POST", body: form, redirect: "manual", headers: proxied });
  await login.arrayBuffer();
  const cookie = login.headers
    .getSetCookie()
    .find((c) => c.startsWith("sipario_admin="))
    ?.split(";")[0];
  if (login.status !== 302 || !cookie) return { requests: 1, failures: [`login answered ${login.status}${cookie ? "" : " without a session cookie"}`] };
  const headers = { ...proxied, cookie };
  const paths = [
    "/admin",
    "/admin/api/resources/Performance/actions/list?page=1",
    "/admin/api/resources/Reservation/actions/list?page=1",
    `/admin/api/resources/Reservation/actions/list?page=1&filters.performance=${performanceId}`,
    `/admin/export/performances/${performanceId}/reservations.csv`,
    `/admin/export/performances/${performanceId}/reservations.xlsx`,
  ];
  let requests = 1;
  const failures: string[] = [];
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (const path of paths) {
          const res = await fetch(`${bo.base}${path}`, { headers, redirect: "manual" });
          const body = await res.arrayBuffer();
          requests++;
          if (res.status !== 200 || body.byteLength === 0) failures.push(`${path.split("?")[0]} answered ${res.status}`);
        }
      }),
    );
  }
  return { requests, failures: [...new Set(failures)] };
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "";
  }
}
