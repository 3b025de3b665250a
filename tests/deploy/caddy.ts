import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

export const haveCaddy = spawnSync("caddy", ["version"]).status === 0;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * deploy/Caddyfile as production runs it, with only the listener (plain HTTP on a free
 * loopback port) and the two upstream addresses changed.
 */
export function localCaddyfile(sitePort: number, backofficePort: number): string {
  const original = readFileSync(join(root, "deploy", "Caddyfile"), "utf8");
  const config = `{\n\tadmin off\n\tauto_https off\n}\n${original
    .replaceAll("reverse_proxy backoffice:3001", `reverse_proxy 127.0.0.1:${backofficePort}`)
    .replace(/name site\n(\s*)port 3000/, `name localhost\n$1port ${sitePort}`)}`;
  if (!config.includes(`port ${sitePort}`) || !config.includes(`127.0.0.1:${backofficePort}`)) {
    throw new Error("deploy/Caddyfile changed shape: its upstreams could not be pointed at the test servers");
  }
  return config;
}

export interface RunningCaddy {
  base: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts Caddy on deploy/Caddyfile in front of the given upstreams; resolves once it answers. */
export async function startCaddy(sitePort: number, backofficePort: number): Promise<RunningCaddy> {
  const proxyPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "sipario-caddy-"));
  writeFileSync(join(dir, "Caddyfile"), localCaddyfile(sitePort, backofficePort));
  const child = spawn("caddy", ["run", "--adapter", "caddyfile", "--config", join(dir, "Caddyfile")], {
    env: { PATH: process.env.PATH ?? "", HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, DOMAIN: `http://127.0.0.1:${proxyPort}` },
  });
  let output = "";
  child.stderr!.on("data", (d) => (output += d));
  child.stdout!.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${proxyPort}`;
  const stop = async () => {
    if (child.exitCode === null && !child.signalCode) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`caddy exited (${child.exitCode}):\n${output.slice(-3000)}`);
    }
    try {
      await fetch(`${base}/`);
      break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`caddy did not answer in 15 s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, child, output: () => output.slice(-4000), stop };
}
