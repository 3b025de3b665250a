import nodemailer, { type SendMailOptions, type Transporter } from "nodemailer";
import type { AppConfig } from "../config.ts";

/** What the outbox needs from a mail transport (nodemailer's Transporter fits). */
export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<unknown>;
  close?(): void;
}

/**
 * A nodemailer SMTP transport from SMTP_URL, with timeouts well under the outbox lease so
 * a hung server never lets two workers send the same message. null when SMTP_URL is
 * unset: messages then wait in the outbox until a transport is configured.
 */
export function createMailTransport(config: Pick<AppConfig, "SMTP_URL" | "MAIL_FROM">): Transporter | null {
  if (!config.SMTP_URL) return null;
  return nodemailer.createTransport(
    {
      url: config.SMTP_URL,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // Local and test servers speak plain SMTP; real providers upgrade with STARTTLS.
      tls: { rejectUnauthorized: !/^smtp:\/\/(127\.0\.0\.1|localhost)[:/]/.test(config.SMTP_URL) },
    },
    { from: config.MAIL_FROM },
  );
}

const transports = new Map<string, Transporter>();
let override: MailTransport | null | undefined;

/** The process-wide transport for this configuration (one per SMTP_URL, reused). */
export function getMailTransport(config: Pick<AppConfig, "SMTP_URL" | "MAIL_FROM">): MailTransport | null {
  if (override !== undefined) return override;
  if (!config.SMTP_URL) return null;
  let transport = transports.get(config.SMTP_URL);
  if (!transport) {
    transport = createMailTransport(config)!;
    transports.set(config.SMTP_URL, transport);
  }
  return transport;
}

/** The launcher (or a test) installs its own transport; undefined restores SMTP_URL. */
export function setMailTransport(transport: MailTransport | null | undefined): void {
  override = transport;
}
