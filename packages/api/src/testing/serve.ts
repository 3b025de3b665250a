// A standalone API process for cross-process tests:
//   DATABASE_URL=... NODE_ENV=test RATE_LIMITS=false node --conditions=development --import tsx packages/api/src/testing/serve.ts
// Prints {"url": "<trpc endpoint>"} as its first stdout line; exits on SIGTERM.
import { openDatabase } from "@sipario/db";
import { loadConfig } from "../config.ts";
import { startBackgroundJobs } from "../jobs/jobs.service.ts";
import { startTrpcHttpServer } from "./http-server.ts";
import type { GuardOverrides } from "../trpc.ts";
import { unlockedPerformanceRead } from "./unsafe-capacity.ts";
import { unsafeAdmissionWriter, unsafeOnlineAdmission } from "./unsafe-checkin.ts";

const config = loadConfig(process.env);
if (!config.DATABASE_URL) throw new Error("serve.ts needs DATABASE_URL");
const db = await openDatabase({ url: config.DATABASE_URL, poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const jobs = config.BACKGROUND_JOBS ? startBackgroundJobs({ prisma: db.prisma, config }) : null;
// Race tests' control runs ask this test-only process (never the site) for the naive variant
// of the guard they test: SERVE_UNSAFE=sync|checkin|capacity (comma-separated).
const unsafe = new Set((process.env.SERVE_UNSAFE ?? "").split(",").filter(Boolean));
const guards: GuardOverrides = {
  ...(unsafe.has("sync") ? { admissionWriter: unsafeAdmissionWriter } : {}),
  ...(unsafe.has("checkin") ? { onlineAdmission: unsafeOnlineAdmission } : {}),
  ...(unsafe.has("capacity") ? { performanceLocker: unlockedPerformanceRead } : {}),
};
const http = await startTrpcHttpServer(db.prisma, config, "127.0.0.1", { guards });
process.stdout.write(`${JSON.stringify({ url: http.url, pid: process.pid })}\n`);
const stop = async () => {
  await http.close();
  await jobs?.stop();
  await db.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
