import { DatabaseSetupError } from "../errors.ts";
import { MigrationError } from "../migrate.ts";

/** Runs a CLI body; known operator errors print one line, not a stack trace. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
    process.exit(0);
  } catch (error) {
    if (error instanceof DatabaseSetupError || error instanceof MigrationError || error instanceof UsageError) {
      console.error(`error: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  }
}

export class UsageError extends Error {}
