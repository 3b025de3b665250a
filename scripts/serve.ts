// The all-in-one server behind `npm start`: one process runs the public site and the
// back-office over one database (the embedded PGlite by default, which only one process
// may open), applies migrations, seeds an empty database and catches mail in
// development. Production deployments run the site and back-office as separate
// processes instead (docs/deployment.md).
import { createServer, type Server } from "node:http";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, loadConfig, setConfig } from "@sipario/api";
import {
  applyMigrations,
  DatabaseSetupError,
  dataDir,
  ensureDemoUsers,
  MigrationError,
  openDatabase,
  repoRoot,
  safeUrl,
  seed,
  setDatabase,
  type Database,
} from "@sipario/db";
import { listen, PortInUseError } from "./lib/listen.ts";
import type { MailCatcher } from "./lib/mail-catcher.ts";

const say = (line = "") => process.stdout.write(`${line}\n`);

async function main() {
  // Development defaults that must be in place before the config is read.
  process.env.NODE_ENV ??= "development";
  let mail: MailCatcher | undefined;
  const preliminary = loadConfig();
  if (!process.env.SMTP_URL) {
    if (preliminary.production) throw new ConfigError("Invalid configuration: SMTP_URL is required when NODE_ENV=production");
    // Loaded only here: smtp-server and mailparser are development dependencies.
    const { startMailCatcher } = await import("./lib/mail-catcher.ts");
    mail = await startMailCatcher({
      host: preliminary.HOST,
      smtpPort: Number(process.env.MAIL_SMTP_PORT ?? 2525),
      httpPort: Number(process.env.MAIL_UI_PORT ?? 3002),
    });
    process.env.SMTP_URL = mail.smtpUrl;
  }
  const config = loadConfig();
  setConfig(config);
  process.env.ORIGIN ??= config.ORIGIN;

  const db: Database = await openDatabase({ url: config.DATABASE_URL || undefined });
  setDatabase(db);
  const session = await db.openSqlSession();
  try {
    const { applied } = await applyMigrations(session);
    if (applied.length) say(`Applied ${applied.length} migration(s).`);
  } finally {
    await session.close();
  }
  const isEmpty = (await db.prisma.show.count()) === 0 && (await db.prisma.user.count()) === 0;
  let credentials: Awaited<ReturnType<typeof ensureDemoUsers>> = [];
  if (config.production) {
    // Never demo data or demo passwords on a real deployment.
    if ((await db.prisma.user.count()) === 0) {
      say("No users yet: create the first admin with npm run create-user -- --email E --role admin (it asks for the password)");
    }
  } else {
    if (isEmpty) {
      await seed(db.prisma);
      say("Empty database: loaded AzioneLab's demo data.");
    }
    credentials = await ensureDemoUsers(db.prisma);
  }

  // The built site (adapter-node). Its handler reads ORIGIN etc. from the environment
  // and starts the background jobs from its server hooks.
  const root = repoRoot();
  const { handler } = (await import(pathToFileURL(join(root, "site", "build", "handler.js")).href)) as {
    handler: Parameters<typeof createServer>[1];
  };
  const site = createServer(handler);
  await listen(site, config.PORT, config.HOST, "PORT");

  const { createBackofficeApp } = (await import(pathToFileURL(join(root, "backoffice", "dist", "app.js")).href)) as {
    createBackofficeApp: (deps: {
      prisma: typeof db.prisma;
      config: typeof config;
    }) => Promise<Parameters<typeof createServer>[1] & { close(): Promise<void> }>;
  };
  const backofficeApp = await createBackofficeApp({ prisma: db.prisma, config });
  const backoffice = createServer(backofficeApp);
  await listen(backoffice, config.BACKOFFICE_PORT, config.HOST, "BACKOFFICE_PORT");

  const host = config.HOST === "0.0.0.0" ? "localhost" : config.HOST;
  say("");
  say("Sipario is running.");
  say(`  Public site:  ${config.ORIGIN}${config.ORIGIN.includes(String(config.PORT)) ? "" : `  (listening on http://${host}:${config.PORT})`}`);
  say(`  Staff door:   ${config.ORIGIN}/staff/scan`);
  say(`  Back-office:  http://${host}:${config.BACKOFFICE_PORT}/admin`);
  const embeddedDir = relative(process.cwd(), join(dataDir(), "pglite")) || ".";
  say(`  Database:     ${db.kind === "embedded" ? `embedded PostgreSQL (PGlite) in ${embeddedDir}` : safeUrl(config.DATABASE_URL!)}`);
  say(`  Mail:         ${mail ? `caught locally, read it at ${mail.inboxUrl}` : `sent through ${safeUrl(config.SMTP_URL!)}`}`);
  if (credentials.length) {
    say("");
    say("Demo logins (shown once; change them or create your own with npm run create-user):");
    for (const c of credentials) say(`  ${c.role.padEnd(5)}  ${c.email}  password: ${c.password}`);
  }
  say("");
  say("Press Ctrl+C to stop.");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping…`);
    const closeServer = (s: Server) =>
      new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    await Promise.allSettled([closeServer(site), closeServer(backoffice), mail?.close()]);
    await backofficeApp.close().catch(() => {});
    // Started once per process by the site's server hooks.
    const jobs = (globalThis as { __siparioJobs?: { stop(): Promise<void> } }).__siparioJobs;
    await jobs?.stop().catch(() => {});
    await db.close();
    say("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseSetupError || error instanceof MigrationError || error instanceof PortInUseError) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
