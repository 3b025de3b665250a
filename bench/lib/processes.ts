import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isAlive } from "../../packages/db/src/pid.ts";

/**
 * Server processes for the bench and the fault tests: the production build of the site
 * (site/build/index.js, with production's node flags), or, when it is not built, the api's
 * bare tRPC test server. Each is a real child process with its own pid, so it can be
 * SIGKILLed and its peak RSS read from /proc.
 */

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const siteEntry = join(repoRoot, "site", "build", "index.js");
const apiServerCandidates = [
  join(repoRoot, "packages", "api", "src", "testing", "serve.ts"),
  join(repoRoot, "packages", "api", "src", "testing", "checkin-server.ts"),
];

export type ServerKind = "site" | "api";

export interface ServerProcess {
  kind: ServerKind;
  pid: number;
  origin: string;
  /** Path prefix of the tRPC endpoint: /api/trpc on the site, "" on the bare api server. */
  trpcBase: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
  /** SQL statements this process has sent through `pg` so far (BEGIN/COMMIT included). */
  statements(): number;
  /** Peak resident set size so far (VmHWM), in MiB; null once the process is gone. */
  peakRssMiB(): number | null;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

let snapshot: string | undefined;
/**
 * A private copy of site/build for this process's servers: other engineers rebuild the
 * shared build while we run, and a server whose lazily imported chunks vanish crashes.
 * Lives under bench/.site-build/<id>/build (git-ignored by the build/ rule), so bare
 * imports still resolve from the repository's node_modules; removed at exit.
 */
export function siteSnapshot(): string {
  if (snapshot) return snapshot;
  const root = join(repoRoot, "bench", ".site-build");
  // Copies left by processes that died without their exit handler (a killed test worker).
  for (const name of existsSync(root) ? readdirSync(root) : []) {
    const pid = Number(name.split("-")[0]);
    if (pid && !isAlive(pid)) rmSync(join(root, name), { recursive: true, force: true });
  }
  const dir = join(root, `${process.pid}-${Date.now().toString(36)}`);
  // site/build is a link to the current build (site/adapter): copy what it points at.
  cpSync(join(repoRoot, "site", "build"), join(dir, "build"), { recursive: true, dereference: true });
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  snapshot = join(dir, "build", "index.js");
  return snapshot;
}

/**
 * The V8/Node flags production starts an app with: read from its `command` in compose.yaml
 * (the Dockerfile's CMD says the same, tests/deploy checks both), so the bench measures the
 * memory and CPU of exactly what is deployed. BENCH_SERVER_NODE_OPTIONS adds to them.
 */
export function productionNodeFlags(service: "site" | "backoffice"): string[] {
  const compose = readFileSync(join(repoRoot, "compose.yaml"), "utf8");
  const block = compose.split(/^ {2}(?=[a-z-]+:\s*$)/m).find((b) => b.startsWith(`${service}:`));
  const line = block?.match(/^\s+command:\s*(\[.*\])\s*$/m)?.[1];
  if (!line) throw new Error(`compose.yaml: no command for the ${service} service`);
  const command = JSON.parse(line) as string[];
  return command.slice(1, -1);
}

export function siteIsBuilt(): boolean {
  return existsSync(siteEntry);
}

export function peakRssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = status.match(/^VmHWM:\s+(\d+)\s+kB/m);
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms; null once it is gone. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line (clock ticks, 100 per second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export interface StartOptions {
  databaseUrl: string;
  smtpUrl?: string;
  /** Prefer the site build (default); "api" forces the bare tRPC server. */
  kind?: ServerKind;
  env?: Record<string, string>;
  logDir?: string;
  name?: string;
  readyTimeoutMs?: number;
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const kind: ServerKind = options.kind ?? (siteIsBuilt() ? "site" : "api");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const logDir = options.logDir ?? join(repoRoot, "bench", "results", "logs");
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${options.name ?? kind}-${port}.log`);
  const countFile = join(logDir, `${options.name ?? kind}-${port}.statements`);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    ORIGIN: origin,
    PORT: String(port),
    HOST: "127.0.0.1",
    SESSION_SECRET: randomBytes(36).toString("base64url"),
    RATE_LIMITS: "false",
    BACKGROUND_JOBS: "true",
    OUTBOX_POLL_SECONDS: "1",
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    BENCH_QUERY_COUNT_FILE: countFile,
    // BENCH_SERVER_NODE_OPTIONS: try V8/Node flags on the servers only, not the load side.
    ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
    ...options.env,
  };
  // A vitest worker's own variables must not leak into the server.
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  delete env.TEST;
  let args: string[];
  // BENCH_CPU_PROF=<dir>: V8 CPU profiles of each server, written when it stops.
  const counter = ["--require", join(repoRoot, "bench", "lib", "count-queries.cjs")];
  const prof = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, "--import", join(repoRoot, "bench", "lib", "exit-on-usr2.mjs")]
    : [];
  if (kind === "site") {
    // As deploy/Dockerfile and compose.yaml run it.
    args = [...counter, ...prof, ...productionNodeFlags("site"), siteSnapshot()];
  } else {
    const entry = apiServerCandidates.find((f) => existsSync(f));
    if (!entry) throw new Error("neither site/build/index.js nor the api test server exists");
    args = [...counter, ...prof, "--conditions=development", "--import", "tsx", entry];
  }
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(logFile);
  let firstLine = "";
  child.stdout!.on("data", (c: Buffer) => {
    if (!firstLine) firstLine = c.toString();
    log.write(c);
  });
  child.stderr!.on("data", (c: Buffer) => log.write(c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let alive = true;
  void exited.then(() => {
    alive = false;
    log.end();
  });

  const proc: ServerProcess = {
    kind,
    pid: child.pid!,
    origin,
    trpcBase: kind === "site" ? "/api/trpc" : "",
    child,
    logFile,
    exited,
    statements: () => {
      try {
        return Number(readFileSync(countFile, "utf8")) || 0;
      } catch {
        return 0;
      }
    },
    peakRssMiB: () => (alive ? peakRssMiB(child.pid!) : null),
    kill: (signal = "SIGKILL") => {
      if (alive) child.kill(signal);
    },
    stop: async () => {
      if (!alive) return;
      child.kill(prof.length ? "SIGUSR2" : "SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
      await exited;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (!alive) {
      throw new Error(`${kind} server exited before it was ready; see ${logFile}:\n${safeTail(logFile)}`);
    }
    if (kind === "api" && firstLine.includes('"url"')) {
      // The bare server prints its tRPC endpoint: origin plus an optional path prefix.
      const url = new URL(JSON.parse(firstLine.split("\n")[0]!).url as string);
      (proc as { origin: string }).origin = url.origin;
      (proc as { trpcBase: string }).trpcBase = url.pathname.replace(/\/+$/, "");
      return proc;
    }
    if (kind === "site") {
      try {
        const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status < 500) return proc;
      } catch {
        /* not listening yet */
      }
    }
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`${kind} server not ready within the timeout; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

function safeTail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "";
  }
}
