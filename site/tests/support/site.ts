import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export const siteDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const resultsDir = join(siteDir, "test-results");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface Mailbox {
  url: string;
  messages: ParsedMail[];
  /** Waits for a message to `to` matching `filter` (newest first), up to `timeoutMs`. */
  waitFor(to: string, filter?: (m: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

/** A real SMTP server on a random port that keeps every message it receives. */
export async function startMailbox(): Promise<Mailbox> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  const recipients = (m: ParsedMail) => [m.to].flat().flatMap((a) => (a ? a.value.map((v) => v.address?.toLowerCase()) : []));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, filter = () => true, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = [...messages].reverse().find((m) => recipients(m).includes(to.toLowerCase()) && filter(m));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no email to ${to} within ${timeoutMs} ms (${messages.length} received in all)`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Site {
  origin: string;
  process: ChildProcess;
  logs: string[];
  stop(): Promise<void>;
}

/**
 * Starts the built site (`node build/index.js`, as in production) on a random port;
 * `entry` runs another copy of the build (a test that deletes built files works on its own).
 */
export async function startSite(env: Record<string, string>, entry = "build/index.js"): Promise<Site> {
  if (!existsSync(join(siteDir, "build", "index.js"))) {
    throw new Error("site/build is missing: run `npm run build -w @sipario/site` (turbo does it before `test`)");
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  const child = spawn(process.execPath, [entry], {
    cwd: siteDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "test",
      SESSION_SECRET: "s".repeat(48),
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      PORT: String(port),
      ORIGIN: origin,
      RATE_LIMITS: "false",
      BACKGROUND_JOBS: "true",
      OUTBOX_POLL_SECONDS: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => logs.push(String(d)));
  child.stderr!.on("data", (d) => logs.push(String(d)));
  // Generous: a tsx process loading the built site can take a while on a busy 2-core machine.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`site exited with ${child.exitCode}:\n${logs.join("")}`);
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`site did not start:\n${logs.join("")}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    origin,
    process: child,
    logs,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function ensureResultsDir(): string {
  mkdirSync(join(resultsDir, "screenshots"), { recursive: true });
  return resultsDir;
}
