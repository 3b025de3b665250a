// Copied next to the built handler by ./index.js (the site's adapter); plain JavaScript
// because it runs as is in production.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, sep } from "node:path";

/**
 * Every file under `dir`, as URL paths ("/_app/immutable/x.js").
 * @param {string} dir
 * @returns {Set<string>}
 */
function listFiles(dir, prefix = "") {
  const found = new Set();
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) for (const p of listFiles(join(dir, entry.name), path)) found.add(p);
    else found.add(path);
  }
  return found;
}

/** @param {string | undefined} url */
function pathnameOf(url) {
  try {
    return decodeURIComponent((url ?? "/").split("?")[0] ?? "/");
  } catch {
    return null;
  }
}

/**
 * Wraps adapter-node's request handler (issue 13, finding 15). Its static file server
 * lists the built files once at start and later opens them without handling a read
 * error: when a file disappeared under a running server (a rebuild beside it), the
 * ENOENT was unhandled and the whole process died. Here:
 * - a request for a file that was listed at start and is gone answers 404;
 * - a read that fails anyway (the file went in between) ends that response only;
 * - every response, static files included, carries `X-Content-Type-Options: nosniff`
 *   (the site's hooks, which set it on pages, never see static files).
 */
/**
 * @typedef {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, next?: () => void) => unknown} Handler
 * @param {Handler} handler
 * @param {string} clientDir
 * @param {(message: string) => void} [log]
 * @returns {Handler}
 */
export function guardStaticFiles(handler, clientDir, log = (message) => console.warn(message)) {
  const listed = listFiles(clientDir);
  const prefix = clientDir.endsWith(sep) ? clientDir : clientDir + sep;
  return (req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (req.method === "GET" || req.method === "HEAD") {
      const pathname = pathnameOf(req.url);
      if (pathname && listed.has(pathname)) {
        const file = join(clientDir, pathname);
        if (!file.startsWith(prefix) || !fileExists(file)) {
          log(JSON.stringify({ level: "warn", msg: "a built file is gone; answered 404", path: pathname }));
          res.statusCode = 404;
          res.setHeader("content-type", "text/plain; charset=utf-8");
          res.setHeader("cache-control", "no-store");
          res.end("Not found");
          return;
        }
      }
    }
    res.on("pipe", (source) => {
      source.once("error", (/** @type {NodeJS.ErrnoException} */ error) => {
        log(JSON.stringify({ level: "warn", msg: "a built file could not be read", code: error?.code }));
        res.destroy();
      });
    });
    return handler(req, res, next);
  };
}

/** @param {string} file */
function fileExists(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
