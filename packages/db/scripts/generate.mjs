// Runs `prisma generate` without the native schema-engine binary, which Prisma would
// otherwise download from its CDN (unreachable on our machines). generate itself only
// needs WASM; the CLI merely asks the engine for a version line first, so a stub answers.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const stubDir = join(pkgDir, "node_modules", ".cache", "sipario");
const stub = join(stubDir, "schema-engine-stub");
if (!existsSync(stub)) {
  mkdirSync(stubDir, { recursive: true });
  writeFileSync(stub, '#!/bin/sh\necho "schema-engine-cli 0.0.0-stub"\n');
  chmodSync(stub, 0o755);
}
const result = spawnSync(process.execPath, [join(dirname(createRequire(import.meta.url).resolve("prisma/package.json")), "build", "index.js"), "generate"], {
  cwd: pkgDir,
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
