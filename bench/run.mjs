#!/usr/bin/env node
// Entry of `npm run bench` (see docs/performance.md). Flags: --quick (small numbers, a
// sanity run in about a minute), --servers=1,2, --only=catalogue,rush,door,growth.
// Env: BENCH_DATABASE_URL (admin URL of the PostgreSQL server; default local 127.0.0.1:5432).
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const child = spawn(process.execPath, ["--import", "tsx", join(here, "main.ts"), ...process.argv.slice(2)], {
  cwd: join(here, ".."),
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
