import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import pg from "pg";
import { Client } from "../../bench/lib/load.ts";
import { startMailCatcher, type MailCatcher } from "../../bench/lib/mail.ts";
import { startServer, type ServerProcess } from "../../bench/lib/processes.ts";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";

/** What a fault test runs against: real server processes on a database of their own. */
export interface FaultSystem {
  db: TestDatabase;
  /** The test's own connections, for its SQL checks. */
  pool: pg.Pool;
  mail: MailCatcher;
  /** Between the servers and PostgreSQL, when asked for. */
  proxy: TcpProxy | null;
  servers: ServerProcess[];
  /** One per server, in the same order. */
  clients: Client[];
  /** Stops everything, in the reverse order of starting. */
  close(): Promise<void>;
}

export interface FaultSystemOptions {
  /** Prefix of the servers' log files under /tmp/sipario-fault-logs. */
  name: string;
  servers: number;
  /** HTTP connections per client. */
  connections: number;
  /** The mail catcher holds its answer to each message this long. */
  smtpDelayMs?: number;
  /** Puts a TCP proxy between the servers and PostgreSQL, so the test can cut it. */
  databaseProxy?: boolean;
}

/** Starts a fault test's system; when a part fails to start, what did start is stopped. */
export async function startFaultSystem(options: FaultSystemOptions): Promise<FaultSystem> {
  const stops: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const db = await createTestDatabase();
    stops.push(() => db.drop());
    const pool = new pg.Pool({ connectionString: db.url!, max: 3 });
    stops.push(() => pool.end());
    const mail = await startMailCatcher({ delayMs: options.smtpDelayMs });
    stops.push(() => mail.close());

    let databaseUrl = db.url!;
    let proxy: TcpProxy | null = null;
    if (options.databaseProxy) {
      const url = new URL(db.url!);
      const started = await startTcpProxy(url.hostname, Number(url.port || 5432));
      stops.push(() => started.close());
      url.port = String(started.port);
      databaseUrl = url.toString();
      proxy = started;
    }

    const starts = await Promise.allSettled(
      Array.from({ length: options.servers }, (_, i) =>
        startServer({ databaseUrl, smtpUrl: mail.url, name: `${options.name}-${i}`, logDir: "/tmp/sipario-fault-logs" }),
      ),
    );
    const servers = starts.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    stops.push(() => Promise.all(servers.map((s) => s.stop())));
    const failed = starts.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;

    const clients = servers.map((s) => new Client(s.origin, s.trpcBase, options.connections));
    stops.push(() => Promise.all(clients.map((c) => c.close())));
    return { db, pool, mail, proxy, servers, clients, close };
  } catch (error) {
    await close();
    throw error;
  }
}
