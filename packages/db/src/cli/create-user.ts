// npm run create-user -- --email E --password P --role admin|staff [--name N]
// Creates or updates a user. The password is hashed and never printed.
import { parseArgs } from "node:util";
import { z } from "zod";
import { openDatabase } from "../client.ts";
import { upsertUser } from "../users.ts";
import { runCli, UsageError } from "./run-cli.ts";

await runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: "string" },
        password: { type: "string" },
        role: { type: "string" },
        name: { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Usage: npm run create-user -- --email E --password P --role admin|staff [--name N]`);
  }
  const db = await openDatabase({ url: process.env.DATABASE_URL || undefined, poolSize: 1 });
  try {
    const { user, created } = await upsertUser(db.prisma, values as never);
    console.log(`${created ? "Created" : "Updated"} ${user.role} ${user.email}.`);
  } catch (error) {
    if (error instanceof z.ZodError) {
      throw new UsageError(error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
    }
    throw error;
  } finally {
    await db.close();
  }
});
