import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { Server } from "node:http";
import { listen } from "./listen.ts";

/**
 * The development mail catcher `npm start` runs when SMTP_URL is unset: a real SMTP
 * server on 127.0.0.1 that keeps messages in memory, and a small inbox page to read
 * them (the confirmation link is clickable there). Not for production.
 */

export interface CaughtMail {
  id: number;
  receivedAt: Date;
  to: string;
  subject: string;
  html: string | false;
  text: string;
}

export interface MailCatcher {
  smtpUrl: string;
  inboxUrl: string;
  messages: CaughtMail[];
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export async function startMailCatcher(options: { host: string; smtpPort: number; httpPort: number }): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  let nextId = 1;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail: ParsedMail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : (mail.to?.text ?? "");
          messages.unshift({ id: nextId++, receivedAt: new Date(), to, subject: mail.subject ?? "", html: mail.html, text: mail.text ?? "" });
          messages.splice(200);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  // smtp-server reports a client that drops its connection as an "error" event; without
  // a listener that would take `npm start` down with it.
  smtp.on("error", () => {});
  await listen(smtp.server as unknown as Server, options.smtpPort, options.host, "MAIL_SMTP_PORT");
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const inbox = createServer((req, res) => {
    const match = /^\/messages\/(\d+)$/.exec(req.url ?? "");
    if (match) {
      const mail = messages.find((m) => m.id === Number(match[1]));
      if (!mail) return void res.writeHead(404).end("Not found");
      // The message HTML is ours (rendered by Sipario) but sandbox it anyway.
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": "sandbox allow-popups allow-popups-to-escape-sandbox; img-src data: cid:",
      });
      return void res.end(mail.html || `<pre>${escapeHtml(mail.text)}</pre>`);
    }
    const rows = messages
      .map(
        (m) =>
          `<tr><td>${m.receivedAt.toLocaleString("it-IT")}</td><td>${escapeHtml(m.to)}</td><td><a href="/messages/${m.id}" target="view">${escapeHtml(m.subject)}</a></td></tr>`,
      )
      .join("");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sipario dev inbox</title>
<meta http-equiv="refresh" content="10"><style>body{font:15px system-ui;margin:1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}iframe{width:100%;height:60vh;border:1px solid #ccc;margin-top:1rem}</style></head>
<body><h1>Sipario development inbox</h1><p>Every email Sipario sends while SMTP_URL is unset lands here (kept in memory, newest first).</p>
<table><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows || '<tr><td colspan="3">No messages yet.</td></tr>'}</tbody></table>
<iframe name="view" title="Message"></iframe></body></html>`);
  });
  await listen(inbox, options.httpPort, options.host, "MAIL_UI_PORT");
  const httpPort = (inbox.address() as AddressInfo).port;
  const displayHost = options.host === "0.0.0.0" ? "localhost" : options.host;
  return {
    smtpUrl: `smtp://${options.host === "0.0.0.0" ? "127.0.0.1" : options.host}:${smtpPort}`,
    inboxUrl: `http://${displayHost}:${httpPort}`,
    messages,
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => inbox.close(() => resolve()));
    },
  };
}
