// npm run db:migration:create -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that brings the
// committed migrations up to schema.prisma. Review it, add what Prisma cannot express
// (CHECK constraints, partial indexes), commit it, then `npm run db:migrate`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { listMigrations } from "../migrate.ts";
import { migrationsDir } from "../paths.ts";
import { diffMigrationsToSchema } from "../schema-engine.ts";
import { runCli, UsageError } from "./run-cli.ts";

await runCli(async () => {
  const name = (process.argv[2] ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
  if (!name) throw new UsageError("Usage: npm run db:migration:create -- <short_name>");
  const sql = await diffMigrationsToSchema(listMigrations());
  if (!sql || /^-- This is an empty migration\.?$/.test(sql)) {
    console.log("schema.prisma already matches the migrations: nothing to write.");
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dir = join(migrationsDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), `${sql}\n`);
  console.log(`Wrote ${relative(process.cwd(), join(dir, "migration.sql"))}. Review it, then run npm run db:migrate.`);
});
