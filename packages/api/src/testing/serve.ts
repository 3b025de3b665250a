// A standalone API process for cross-process tests:
//   DATABASE_URL=... NODE_ENV=test RATE_LIMITS=false node --conditions=development --import tsx packages/api/src/testing/serve.ts
// Prints {"url": "<trpc endpoint>"} as its first stdout line; exits on SIGTERM.
import { openDatabase } from "@sipario/db";
import { loadConfig } from "../config.ts";
import { startBackgroundJobs } from "../jobs/jobs.service.ts";
import { startTrpcHttpServer } from "./http-server.ts";
import { unsafeAdmissionWriter } from "./unsafe-checkin.ts";

const config = loadConfig(process.env);
if (!config.DATABASE_URL) throw new Error("serve.ts needs DATABASE_URL");
const db = await openDatabase({ url: config.DATABASE_URL, poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const jobs = config.BACKGROUND_JOBS ? startBackgroundJobs({ prisma: db.prisma, config }) : null;
// Race tests' control runs ask this test-only process (never the site) for the unsafe writer.
const http = await startTrpcHttpServer(db.prisma, config, "127.0.0.1", process.env.SERVE_UNSAFE_SYNC === "1" ? { admissionWriter: unsafeAdmissionWriter } : {});
process.stdout.write(`${JSON.stringify({ url: http.url, pid: process.pid })}\n`);
const stop = async () => {
  await http.close();
  await jobs?.stop();
  await db.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
