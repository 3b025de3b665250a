import { closeDatabase, getDatabase } from "@sipario/db";
import { type AppConfig, getConfig } from "../config.ts";
import { type BackgroundJobs, startBackgroundJobs } from "./jobs.service.ts";

/**
 * The background jobs of a server process (the site starts them): at most once per process,
 * even when a launcher (scripts/serve.ts, `npm start`) also imports the site and stops them
 * through the same global.
 */
const g = globalThis as typeof globalThis & { __siparioJobs?: BackgroundJobs };

/** Opens the process's database and, when BACKGROUND_JOBS is on, starts the jobs once. */
export async function startProcessJobs(config: AppConfig = getConfig()): Promise<void> {
  const { prisma } = await getDatabase();
  if (!config.BACKGROUND_JOBS) return;
  g.__siparioJobs ??= startBackgroundJobs({ prisma, config });
}

/**
 * For a graceful shutdown: lets the outbox finish the message it is sending, then closes the
 * pool so the process can end. Never throws.
 */
export async function stopProcessJobs(): Promise<void> {
  await g.__siparioJobs?.stop().catch(() => {});
  await closeDatabase().catch(() => {});
}
