// The site's SvelteKit adapter: adapter-node, built into a fresh directory and switched
// in atomically, with its handler wrapped by static-guard.js (issue 13, finding 15).
import { copyFileSync, existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import nodeAdapter from "@sveltejs/adapter-node";

const here = dirname(fileURLToPath(import.meta.url));
/** Builds kept under .builds/: the current one and the one before (a server may still run it). */
const KEEP = 2;

/**
 * `out` (default "build") becomes a symbolic link to `.builds/<stamp>/`, replaced in one
 * rename(2) once the new build is complete. A server already running keeps the build it
 * started from: Node resolved its entry through the link, so its lazily imported chunks
 * and its static files stay where they were, while the next start takes the new one.
 */
/**
 * @param {import("@sveltejs/adapter-node").AdapterOptions} [options]
 * @returns {import("@sveltejs/kit").Adapter}
 */
export default function adapter(options = {}) {
  const out = options.out ?? "build";
  const stamp = `${Date.now().toString(36)}-${process.pid}`;
  const fresh = join(".builds", stamp);
  const base = nodeAdapter({ ...options, out: fresh });
  return {
    ...base,
    name: "sipario-adapter-node",
    /** @param {import("@sveltejs/kit").Builder} builder */
    async adapt(builder) {
      await base.adapt(builder);
      wrapHandler(fresh);
      switchBuild(out, fresh);
      pruneBuilds(".builds", KEEP, fresh);
    },
  };
}

/**
 * adapter-node 6 writes handler.js and index.js as one-line re-exports of
 * server/handler.js and server/adapter-index.js. handler.js (what `npm start` imports)
 * becomes the guarded handler; adapter-index.js (adapter-node's own server) is pointed at
 * it. Fails the build when adapter-node's layout changes, rather than ship unguarded.
 * @param {string} dir
 */
export function wrapHandler(dir) {
  const expected = "export * from './server/handler.js';\n";
  if (readFileSync(join(dir, "handler.js"), "utf8") !== expected) {
    throw new Error("adapter-node's handler.js is not the expected re-export: the static-file guard would be bypassed");
  }
  copyFileSync(join(here, "static-guard.js"), join(dir, "static-guard.js"));
  writeFileSync(
    join(dir, "handler.js"),
    [
      'import { fileURLToPath } from "node:url";',
      'import { handler as kitHandler } from "./server/handler.js";',
      'import { guardStaticFiles } from "./static-guard.js";',
      "",
      'export const handler = guardStaticFiles(kitHandler, fileURLToPath(new URL("./client/", import.meta.url)));',
      "",
    ].join("\n"),
  );
  const serverEntry = join(dir, "server", "adapter-index.js");
  const source = readFileSync(serverEntry, "utf8");
  const calls = source.match(/\breturn handler\(req, res, /g) ?? [];
  if (calls.length !== 1) {
    throw new Error("adapter-node's server no longer calls `return handler(req, res, ...)` once: the static-file guard would be bypassed");
  }
  // Appended: imports are hoisted, and the source map's lines stay right.
  writeFileSync(
    serverEntry,
    `${source.replace("return handler(req, res, ", "return guardedHandler(req, res, ")}\nimport { handler as guardedHandler } from "../handler.js";\n`,
  );
}

/**
 * Points `link` at `target` (relative) with one rename, replacing a link or an old real directory.
 * @param {string} link
 * @param {string} target
 */
export function switchBuild(link, target) {
  const temporary = `${link}.next-${process.pid}`;
  rmSync(temporary, { force: true, recursive: true });
  symlinkSync(target, temporary, "dir");
  let current;
  try {
    current = lstatSync(link);
  } catch {
    current = null;
  }
  // A real directory (a build from before this adapter) cannot be replaced by rename.
  if (current && !current.isSymbolicLink()) rmSync(link, { recursive: true, force: true });
  renameSync(temporary, link);
}

/**
 * Removes all but the newest `keep` builds, never `current`.
 * @param {string} dir
 * @param {number} keep
 * @param {string} current
 */
export function pruneBuilds(dir, keep, current) {
  if (!existsSync(dir)) return;
  const builds = readdirSync(dir)
    .map((name) => ({ name, at: lstatSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(keep)) {
    if (join(dir, old.name) !== current) rmSync(join(dir, old.name), { recursive: true, force: true });
  }
}
