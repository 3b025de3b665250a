import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineModule from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { Migration } from "./migrate.ts";
import { migrationsDir, schemaPath } from "./paths.ts";

/**
 * Prisma's schema engine compiled to WASM (@prisma/schema-engine-wasm), loaded by hand:
 * its package entry imports the .wasm file as an ES module, which Node does not support.
 * Used only to write new migrations; applying them is migrate.ts's job.
 */
let instantiated = false;
async function loadEngine() {
  if (!instantiated) {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve("@prisma/schema-engine-wasm").replace(/schema_engine\.js$/, "schema_engine_bg.wasm");
    // Node's global WebAssembly; the ES lib typings we compile against do not declare it.
    const wasm = (
      globalThis as unknown as { WebAssembly: { instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }> } }
    ).WebAssembly;
    const { instance } = await wasm.instantiate(readFileSync(wasmPath), { "./schema_engine_bg.js": engineModule });
    engineModule.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    instantiated = true;
  }
  return engineModule;
}

/**
 * The SQL that takes a database from the committed migrations to the current
 * schema.prisma. The engine replays the migrations into a shadow database, which the
 * PGlite adapter provides in memory, then diffs it against the schema.
 */
export async function diffMigrationsToSchema(migrations: Migration[], schema = readFileSync(schemaPath, "utf8")) {
  const { SchemaEngine } = await loadEngine();
  const db = new PGlite();
  try {
    const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db));
    const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", schema]] }, () => {}, factory);
    const result = await engine.diff({
      from: { tag: "migrations", ...migrationList(migrations) },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return (result.stdout ?? "").trim();
  } finally {
    await db.close();
  }
}

/** The committed migrations in the shape the schema engine reads them. */
function migrationList(migrations: Migration[]) {
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: readFileSync(join(migrationsDir, "migration_lock.toml"), "utf8") },
    shadowDbInitScript: "",
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: m.sql } },
    })),
  };
}

export type MigrationHistoryDiagnosis = Awaited<ReturnType<SchemaEngine["diagnoseMigrationHistory"]>>;
type SchemaEngine = Awaited<ReturnType<(typeof engineModule)["SchemaEngine"]["new"]>>;

/**
 * Prisma's own `migrate status` check, through the WASM engine: compares the committed
 * migrations with the `_prisma_migrations` table of the database behind `adapter`
 * (pending, edited after applying, failed, or migrations the repository does not have).
 */
export async function diagnoseMigrationHistory(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  migrations: Migration[],
  schema = readFileSync(schemaPath, "utf8"),
): Promise<MigrationHistoryDiagnosis> {
  const { SchemaEngine } = await loadEngine();
  const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", schema]] }, () => {}, bindMigrationAwareSqlAdapterFactory(adapter));
  return engine.diagnoseMigrationHistory({
    migrationsList: migrationList(migrations),
    optInToShadowDatabase: false,
    filters: { externalTables: [], externalEnums: [] },
  });
}

/** One line per problem Prisma's diagnosis found; empty when the history is in step. */
export function describeHistory(diagnosis: MigrationHistoryDiagnosis): string[] {
  const problems: string[] = [];
  if (!diagnosis.hasMigrationsTable) problems.push("The database has no migrations applied: run `npm run db:migrate`.");
  for (const name of diagnosis.editedMigrationNames) problems.push(`Migration ${name} was edited after it was applied.`);
  for (const name of diagnosis.failedMigrationNames) problems.push(`Migration ${name} failed and is half-applied.`);
  const history = diagnosis.history;
  if (history?.diagnostic === "databaseIsBehind" || history?.diagnostic === "historiesDiverge") {
    for (const name of history.unappliedMigrationNames) problems.push(`Migration ${name} is not applied yet: run \`npm run db:migrate\`.`);
  }
  if (history?.diagnostic === "migrationsDirectoryIsBehind" || history?.diagnostic === "historiesDiverge") {
    for (const name of history.unpersistedMigrationNames) {
      problems.push(`The database applied ${name}, which this repository does not have.`);
    }
  }
  return problems;
}
