// npm run db:migrate: applies pending migrations to DATABASE_URL (or the embedded database).
import { openDatabase } from "../client.ts";
import { applyMigrations } from "../migrate.ts";
import { runCli } from "./run-cli.ts";

await runCli(async () => {
  const db = await openDatabase({ url: process.env.DATABASE_URL || undefined, poolSize: 1 });
  const session = await db.openSqlSession();
  try {
    const { applied, alreadyApplied } = await applyMigrations(session);
    console.log(
      applied.length
        ? `Applied ${applied.length} migration(s): ${applied.join(", ")}`
        : `Database is up to date (${alreadyApplied} migration(s) applied earlier).`,
    );
  } finally {
    await session.close();
    await db.close();
  }
});
