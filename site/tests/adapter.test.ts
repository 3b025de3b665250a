// Issue 13, finding 15: a rebuild beside a running site made it die on ENOENT.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pruneBuilds, switchBuild } from "../adapter/index.js";
import { guardStaticFiles } from "../adapter/static-guard.js";

const dir = mkdtempSync(join(tmpdir(), "sipario-adapter-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("switching builds", () => {
  it("points build at the new build in one rename; a server on the old one keeps its files", () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      // A build made before this adapter: a plain directory.
      mkdirSync("build");
      for (const stamp of ["a", "b"]) {
        mkdirSync(join(".builds", stamp), { recursive: true });
        writeFileSync(join(".builds", stamp, "index.js"), stamp);
      }
      switchBuild("build", join(".builds", "a"));
      expect(readlinkSync("build")).toBe(join(".builds", "a"));
      const running = realpathSync("build"); // what a started server resolved
      switchBuild("build", join(".builds", "b"));
      expect(readFileSync(join("build", "index.js"), "utf8")).toBe("b");
      expect(readFileSync(join(running, "index.js"), "utf8")).toBe("a");
    } finally {
      process.chdir(cwd);
    }
  });

  it("keeps the newest builds and never the current one away", () => {
    const builds = join(dir, "prune");
    for (const [i, stamp] of ["1", "2", "3"].entries()) {
      mkdirSync(join(builds, stamp), { recursive: true });
      const at = new Date(Date.now() - (3 - i) * 60_000);
      writeFileSync(join(builds, stamp, "x"), "");
      utimesSync(join(builds, stamp), at, at); // 1 oldest, 3 newest
    }
    pruneBuilds(builds, 2, join(builds, "3"));
    expect(readdirSync(builds).sort()).toEqual(["2", "3"]);
  });
});

describe("the static-file guard", () => {
  it("answers 404 for a listed file that vanished, ends a failed read, keeps serving", async () => {
    const client = join(dir, "client");
    mkdirSync(join(client, "_app"), { recursive: true });
    writeFileSync(join(client, "_app", "gone.js"), "x");
    writeFileSync(join(client, "_app", "kept.js"), "y");
    // Stands in for adapter-node's handler: serves whatever was asked, from disk.
    const inner = (req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(readFileSync(join(client, req.url!)));
    };
    const logs: string[] = [];
    const server = createServer(guardStaticFiles(inner, client, (m: string) => logs.push(m)) as never);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      rmSync(join(client, "_app", "gone.js"));
      const gone = await fetch(`${base}/_app/gone.js`);
      expect(gone.status).toBe(404);
      expect(gone.headers.get("x-content-type-options")).toBe("nosniff");
      const kept = await fetch(`${base}/_app/kept.js`);
      expect([kept.status, await kept.text(), kept.headers.get("x-content-type-options")]).toEqual([200, "y", "nosniff"]);
      expect(logs.join("\n")).toContain("a built file is gone");
    } finally {
      server.close();
    }
  });
});
