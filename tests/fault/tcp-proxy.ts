import { once } from "node:events";
import { createServer, connect, type AddressInfo, type Socket } from "node:net";

/**
 * A TCP proxy between the servers and PostgreSQL, so a test can cut the database
 * connection without touching the machine's shared PostgreSQL server.
 */
export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones for `ms`. */
  cut(ms: number): Promise<void>;
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(upstreamHost: string, upstreamPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) return void client.destroy();
    const upstream = connect(upstreamPort, upstreamHost);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => open.size / 2,
    async cut(ms) {
      down = true;
      for (const s of open) s.destroy();
      open.clear();
      await new Promise((r) => setTimeout(r, ms));
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
