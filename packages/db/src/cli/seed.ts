// npm run db:seed: loads AzioneLab's demo data (idempotent).
import { openDatabase } from "../client.ts";
import { applyMigrations } from "../migrate.ts";
import { seed } from "../seed.ts";
import { runCli } from "./run-cli.ts";

await runCli(async () => {
  const db = await openDatabase({ url: process.env.DATABASE_URL || undefined, poolSize: 2 });
  try {
    const session = await db.openSqlSession();
    await applyMigrations(session);
    await session.close();
    await seed(db.prisma);
    console.log("Demo data loaded (existing rows left as they were).");
  } finally {
    await db.close();
  }
});
