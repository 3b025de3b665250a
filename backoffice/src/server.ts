import { ConfigError, getConfig, getLogger } from "@sipario/api";
import { DatabaseSetupError, getDatabase } from "@sipario/db";
import { createBackofficeApp } from "./app.ts";

/** Standalone back-office: `node dist/server.js` (compiled). `npm start` uses createBackofficeApp instead. */
async function main(): Promise<void> {
  const config = getConfig();
  const { prisma } = await getDatabase();
  const app = await createBackofficeApp({ prisma, config });
  const server = app.listen(config.BACKOFFICE_PORT, config.HOST);
  server.on("listening", () => {
    console.log(`Back-office: ${config.backofficeOrigin}/admin`);
  });
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") {
      console.error(`Port ${config.BACKOFFICE_PORT} on ${config.HOST} is already in use: stop the other program or set BACKOFFICE_PORT to a free port.`);
    } else {
      console.error(`The back-office cannot listen on ${config.HOST}:${config.BACKOFFICE_PORT}: ${error.message}`);
    }
    process.exit(1);
  });
  const stop = () => {
    server.close(() => {
      void app.close().finally(() => process.exit(0));
    });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseSetupError) {
    console.error(error.message);
  } else {
    getLogger().error({ err: error }, "the back-office failed to start");
  }
  process.exit(1);
});
