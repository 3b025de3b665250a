#!/usr/bin/env node
// `npm start`: builds what is not built (turbo's cache makes this quick when nothing
// changed), then runs scripts/serve.ts, which starts the site and the back-office.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(join(root, "node_modules", ".bin", "turbo"))) {
  console.error("error: dependencies are missing. Run npm install first.");
  process.exit(1);
}
// A .env next to package.json configures `npm start` as it configures compose. Variables
// already set in the environment win (Node's loadEnvFile never overwrites them).
const dotenv = join(root, ".env");
if (existsSync(dotenv)) {
  try {
    process.loadEnvFile(dotenv);
  } catch (error) {
    console.error(`error: cannot read ${dotenv}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  console.log("Read settings from .env");
}
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const build = spawnSync(join(root, "node_modules", ".bin", "turbo"), ["run", "build", "--output-logs=errors-only"], {
  cwd: root,
  stdio: "inherit",
  env,
});
if (build.status !== 0) {
  console.error("error: the build failed (see above).");
  process.exit(build.status ?? 1);
}
const child = spawn(process.execPath, ["--import", "tsx", join(root, "scripts", "serve.ts")], { cwd: root, stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
