// The catalogue baseline: a bare node:http server answering catalogue.shows' data from
// the same query through `pg`, in the tRPC response shape. Run as its own process:
// DATABASE_URL required; prints {"url": ...} on its first stdout line.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { CATALOGUE_SHOWS_SQL } from "./lib/baselines.ts";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
pool.on("error", () => {});
const server = createServer(async (_req, res) => {
  try {
    const { rows } = await pool.query(CATALOGUE_SHOWS_SQL);
    const body = JSON.stringify({ result: { data: { items: rows } } });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  } catch {
    res.writeHead(503).end();
  }
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
const stop = () => server.close(() => void pool.end().finally(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
