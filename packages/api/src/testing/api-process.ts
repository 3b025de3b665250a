// Starts testing/serve.ts as a separate Node process: the cross-process race tests run two
// of these on one PostgreSQL (and their control runs two more with a naive guard).
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface ApiProcess {
  /** The tRPC endpoint, e.g. http://127.0.0.1:40123/trpc */
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface ApiProcessOptions {
  /** Extra environment, e.g. SERVE_UNSAFE=capacity for a control run (see serve.ts). */
  env?: Record<string, string>;
  /** A module of testing/ loaded before the server (`--import`), e.g. "without-offer-hold.ts". */
  preload?: string;
}

const serveFile = fileURLToPath(new URL("./serve.ts", import.meta.url));

/** Resolves once the process prints its URL; rejects with its stderr if it exits first. */
export function spawnApiServer(databaseUrl: string, options: ApiProcessOptions = {}): Promise<ApiProcess> {
  const preload = options.preload ? ["--import", pathToFileURL(fileURLToPath(new URL(`./${options.preload}`, import.meta.url))).href] : [];
  const child = spawn(process.execPath, ["--conditions=development", "--import", "tsx", ...preload, serveFile], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: "race-test-".padEnd(40, "x"),
      RATE_LIMITS: "false",
      BACKGROUND_JOBS: "false",
      SMTP_URL: "",
      LOG_LEVEL: process.env.RACE_DEBUG ? "warn" : "error",
      DATABASE_POOL_SIZE: "10",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += String(d);
    if (process.env.RACE_DEBUG) process.stderr.write(String(d));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    // Generous: on a shared 2-core machine a tsx process can take minutes to load.
    const timer = setTimeout(() => reject(new Error(`api server did not start in 300 s: ${stderr}`)), 300_000);
    child.once("exit", (code) => reject(new Error(`api server exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve({ url: (JSON.parse(line) as { url: string }).url, child, stop });
    });
  });
}
