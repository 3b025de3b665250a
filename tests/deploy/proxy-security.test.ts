import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { testConfig } from "@sipario/api/testing";
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackofficeApp, type BackofficeApp } from "../../backoffice/src/app.ts";
import { haveCaddy, startCaddy, type RunningCaddy } from "./caddy.ts";

/**
 * deploy/Caddyfile in front of the real back-office and a stand-in for the site that
 * records what reaches it: the proxy's own share of the defences (issue 13).
 */

interface Upstream {
  server: Server;
  port: number;
  /** Bytes read from the network by this upstream since the last reset. */
  bytesRead(): number;
  requests: { method: string; url: string }[];
  reset(): void;
}

function upstream(server: Server): Upstream {
  const sockets = new Set<Socket>();
  let closedBytes = 0;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      closedBytes += socket.bytesRead;
      sockets.delete(socket);
    });
  });
  const requests: { method: string; url: string }[] = [];
  server.on("request", (req: IncomingMessage) => requests.push({ method: req.method!, url: req.url! }));
  let base = 0;
  const total = () => closedBytes + [...sockets].reduce((sum, s) => sum + s.bytesRead, 0);
  return {
    server,
    port: (server.address() as AddressInfo).port,
    requests,
    bytesRead: () => total() - base,
    reset() {
      base = total();
      requests.length = 0;
    },
  };
}

async function listen(server: Server): Promise<Server> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/**
 * Streams `total` bytes as a chunked body and stops when the server answers or drops the
 * connection. Returns the status (or null when the connection was cut) and the bytes sent.
 */
function chunkedFlood(url: string, total: number, headers: Record<string, string>): Promise<{ status: number | null; sent: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    const chunk = Buffer.alloc(64 * 1024, "a");
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", ...headers } });
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
    req.write('{"email":"');
    pump();
  });
}

/** Every casing of "admin" but the real one. */
function otherCasings(word = "admin"): string[] {
  const out: string[] = [];
  for (let mask = 1; mask < 1 << word.length; mask++) out.push([...word].map((c, i) => (mask & (1 << i) ? c.toUpperCase() : c)).join(""));
  return out;
}

describe.runIf(haveCaddy || process.env.CI)("deploy/Caddyfile in front of the back-office", () => {
  let db: TestDatabase;
  let app: BackofficeApp;
  let backoffice: Upstream;
  let site: Upstream;
  let caddy: RunningCaddy;
  let admin: { email: string; password: string };

  beforeAll(async () => {
    if (!haveCaddy) throw new Error("caddy is not installed: .ci/run installs it (apt-get install caddy)");
    db = await createTestDatabase({ setGlobal: false });
    const config = testConfig({ ...(db.url ? { DATABASE_URL: db.url } : {}) });
    app = await createBackofficeApp({ prisma: db.prisma, config });
    backoffice = upstream(await listen(createServer(app)));
    // The site's stand-in: it reads and counts whatever it is sent, then answers 404.
    site = upstream(
      await listen(
        createServer((req, res) => {
          req.resume();
          req.on("end", () => res.writeHead(404, { "content-type": "text/plain" }).end("site: not found"));
        }),
      ),
    );
    caddy = await startCaddy(site.port, backoffice.port);
    // The browser's Origin is the proxy's address.
    (config as { backofficeOrigin: string }).backofficeOrigin = caddy.base;
    const a = await factories.user(db.prisma, { role: "admin" });
    admin = { email: a.user.email, password: a.password };
  }, 120_000);
  afterAll(async () => {
    await caddy?.stop();
    for (const u of [backoffice, site]) {
      if (!u) continue;
      u.server.closeAllConnections();
      await new Promise((resolve) => u.server.close(resolve));
    }
    await app?.close();
    await db?.drop();
  });

  it("sends /admin (exact casing) to the back-office and every other casing elsewhere", async () => {
    const signIn = (root: string) =>
      fetch(`${caddy.base}/${root}/login`, {
        method: "POST",
        body: new URLSearchParams({ email: admin.email, password: admin.password }),
        headers: { origin: caddy.base },
        redirect: "manual",
      });
    const ok = await signIn("admin");
    expect(ok.status).toBe(302);
    expect(ok.headers.get("set-cookie")).toMatch(/(^|, )sipario_admin=[^,]*Path=\/admin;/);

    backoffice.reset();
    site.reset();
    for (const root of otherCasings()) {
      const response = await signIn(root);
      expect(response.status, root).toBe(404);
      expect(response.headers.get("set-cookie"), root).toBeNull();
      const page = await fetch(`${caddy.base}/${root}/api/resources/User/actions/list`, { redirect: "manual" });
      expect(page.status, root).toBe(404);
    }
    expect(backoffice.requests).toEqual([]);
    expect(site.requests).toHaveLength(31 * 2);
  });

  it("refuses a chunked flood to /admin/login and to the site early: 413, the apps read at most about 1 MB", async () => {
    for (const [path, target] of [
      ["/admin/login", () => backoffice],
      ["/api/trpc/booking.create", () => site],
    ] as const) {
      target().reset();
      const flood = await chunkedFlood(`${caddy.base}${path}`, 200 * 1024 * 1024, { origin: caddy.base });
      expect(flood.status, path).toBe(413);
      expect(flood.sent, path).toBeLessThan(32 * 1024 * 1024);
      expect(target().bytesRead(), path).toBeLessThan(2 * 1024 * 1024);
    }
  });
});
