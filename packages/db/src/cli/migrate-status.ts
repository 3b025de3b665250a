// npm run db:migrate:status: fails when schema.prisma has changes no migration records
// (someone forgot `npm run db:migration:create`), and, for the database behind
// DATABASE_URL (or the embedded one), when its applied history differs from the
// committed migrations. CI runs it; see docs/adr/0001-migrations-without-native-engine.md.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { join } from "node:path";
import { assertDatabaseUrl } from "../errors.ts";
import { listMigrations, MigrationError } from "../migrate.ts";
import { dataDir } from "../paths.ts";
import { describeHistory, diagnoseMigrationHistory, diffMigrationsToSchema } from "../schema-engine.ts";
import { runCli } from "./run-cli.ts";

await runCli(async () => {
  const migrations = listMigrations();
  let healthy = true;

  const drift = await diffMigrationsToSchema(migrations);
  if (drift && !/^-- This is an empty migration\.?$/.test(drift)) {
    healthy = false;
    console.error("schema.prisma differs from the committed migrations; run `npm run db:migration:create -- <name>`. Missing SQL:");
    console.error(drift);
  } else {
    console.log(`schema.prisma matches the ${migrations.length} committed migration(s).`);
  }

  const url = process.env.DATABASE_URL || undefined;
  if (url) assertDatabaseUrl(url);
  const pglite = url ? undefined : await PGlite.create(join(dataDir(), "pglite"));
  try {
    const adapter = url ? new PrismaPg({ connectionString: url, max: 1 }) : new PrismaPGlite(pglite!);
    const problems = describeHistory(await diagnoseMigrationHistory(adapter, migrations));
    if (problems.length) {
      healthy = false;
      for (const problem of problems) console.error(problem);
    } else {
      console.log(`The database (${url ? "DATABASE_URL" : "embedded"}) has applied every committed migration.`);
    }
  } finally {
    await pglite?.close();
  }
  if (!healthy) throw new MigrationError("migration status: see the problems above.");
});
