import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = join(import.meta.dirname, "..");
let db: TestDatabase;
let blocker: Server;
let port: number;

beforeAll(async () => {
  db = await createTestDatabase();
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
  port = (blocker.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => blocker.close(() => resolve()));
  await db?.drop();
});

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=development", "--import", "tsx", "src/server.ts"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "test", LOG_LEVEL: "error", SESSION_SECRET: "s".repeat(40), ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("standalone back-office server", () => {
  it("says which port is taken and which variable changes it, then exits non-zero", async () => {
    if (!db.url) return; // the standalone server needs a DATABASE_URL it can share
    const result = await run({ DATABASE_URL: db.url, BACKOFFICE_PORT: String(port), HOST: "127.0.0.1" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`Port ${port} on 127.0.0.1 is already in use: stop the other program or set BACKOFFICE_PORT to a free port.`);
  });

  it("says in one line that the database cannot be reached", async () => {
    // A port where nothing listens: the connection is refused at once.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await run({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${closed}/nowhere`, BACKOFFICE_PORT: "3999" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/DATABASE_URL/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
