import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server in the load process that catches every message the servers send and
 * extracts the raw tokens from the links (confirmation link, ticket link). Tokens are only
 * stored hashed, so this is the one honest way for a load generator to get them.
 * Waiters are keyed by recipient address: each simulated visitor uses its own address.
 */

export type MailKind = "confirm" | "tickets";

export interface MailCatcher {
  url: string;
  port: number;
  /** Resolves with the token of the first `kind` link mailed to `address`. */
  waitFor(address: string, kind: MailKind, timeoutMs?: number): Promise<string>;
  /** Messages received so far. */
  received(): number;
  close(): Promise<void>;
}

const LINK = /\/(confirm|tickets)\/([A-Za-z0-9_-]{16,128})/;

export async function startMailCatcher(options: { delayMs?: number } = {}): Promise<MailCatcher> {
  const tokens = new Map<string, string>();
  const waiters = new Map<string, { resolve: (t: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[]>();
  let count = 0;

  const deliver = (key: string, token: string) => {
    tokens.set(key, token);
    const list = waiters.get(key);
    if (!list) return;
    waiters.delete(key);
    for (const w of list) {
      clearTimeout(w.timer);
      w.resolve(token);
    }
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 10 * 1024 * 1024,
    // Hundreds of servers' immediate deliveries arrive at once during a rush.
    maxClients: 2000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        // Read the envelope before acknowledging: the session resets it for the next message.
        const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        // Acknowledge first (unless simulating a slow server): the sender's pace must not
        // depend on how fast this process reads the message.
        if (options.delayMs) setTimeout(() => callback(), options.delayMs);
        else callback();
        try {
          const raw = Buffer.concat(chunks);
          // Cheap path: undo quoted-printable soft breaks and look for the link in the raw text.
          let match = raw
            .toString("latin1")
            .replace(/=\r?\n/g, "")
            .match(LINK);
          if (!match) {
            const parsed = await simpleParser(raw);
            match = `${parsed.text ?? ""}\n${typeof parsed.html === "string" ? parsed.html : ""}`.match(LINK);
          }
          count++;
          if (match) {
            for (const rcpt of recipients) deliver(`${rcpt}|${match[1]}`, match[2]!);
          }
        } catch {
          // A message we cannot read is simply not a token source.
        }
      });
    },
  });
  // A client that dies mid-message (the fault tests SIGKILL servers) resets its socket;
  // smtp-server reports that as an "error" event, which must not crash this process.
  server.on("error", () => {});
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received: () => count,
    waitFor(address, kind, timeoutMs = 60_000) {
      const key = `${address.toLowerCase()}|${kind}`;
      const known = tokens.get(key);
      if (known) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const list = waiters.get(key) ?? [];
          waiters.set(
            key,
            list.filter((w) => w.timer !== timer),
          );
          reject(new Error(`no ${kind} email for a visitor within ${timeoutMs} ms`));
        }, timeoutMs);
        const list = waiters.get(key) ?? [];
        list.push({ resolve, reject, timer });
        waiters.set(key, list);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const list of waiters.values()) for (const w of list) clearTimeout(w.timer);
        server.close(() => resolve());
      }),
  };
}
