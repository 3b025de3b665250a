import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** packages/db, wherever the process was started from. */
export const dbPackageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const migrationsDir = join(dbPackageDir, "prisma", "migrations");
export const schemaPath = join(dbPackageDir, "prisma", "schema.prisma");

/** The repository root (where turbo.json lives); npm -w runs scripts inside a workspace. */
export function repoRoot(): string {
  let dir = dbPackageDir;
  while (!existsSync(join(dir, "turbo.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** Where the embedded database and generated development secrets live. */
export function dataDir(): string {
  return process.env.SIPARIO_DATA_DIR ? resolve(process.env.SIPARIO_DATA_DIR) : join(repoRoot(), ".data");
}
