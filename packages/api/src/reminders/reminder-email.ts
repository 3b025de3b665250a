import type { AppConfig } from "../config.ts";
import { performanceFacts, type PerformancePlace } from "../booking/emails.ts";
import { type EnqueueEmail, outboxMessage } from "../mail/outbox.service.ts";
import { buttonHtml, escapeHtml, factsBlock, mailLocale, page, type MailLocale } from "../mail/templates.ts";
import { cancelUrl, ticketUrl } from "../lib/ticket-assets.ts";

const strings = {
  it: {
    subject: (t: string) => `Domani: ${t}`,
    intro: "Ti aspettiamo domani. All'ingresso mostra il codice QR del tuo biglietto, dal telefono o stampato.",
    ticketLink: "Apri il biglietto",
    cancelText: "Non puoi più venire? Libera i posti per altri spettatori:",
    cancelLink: "Annulla la prenotazione",
  },
  en: {
    subject: (t: string) => `Tomorrow: ${t}`,
    intro: "We look forward to seeing you tomorrow. At the entrance, show your ticket's QR code on your phone or printed.",
    ticketLink: "Open the ticket",
    cancelText: "Cannot come any more? Give the seats back to other visitors:",
    cancelLink: "Cancel the booking",
  },
} as const satisfies Record<MailLocale, unknown>;

/** The reminder sent the day before: when, where, how many, the ticket link and how to cancel. */
export function reminderEmail(
  config: AppConfig,
  input: { reservationId: string; to: string; locale: string; partySize: number; performance: PerformancePlace; token: string },
): EnqueueEmail {
  const locale = mailLocale(input.locale);
  const s = strings[locale];
  const facts = performanceFacts(input.performance, config, input.locale);
  const url = ticketUrl(config.ORIGIN, input.token);
  const cancel = cancelUrl(config.ORIGIN, input.token);
  // The same facts block as every other email: venue notes, access and the map link included.
  const block = factsBlock(locale, facts, input.partySize);
  const text = [s.intro, "", block.text, "", `${s.ticketLink}: ${url}`, "", `${s.cancelText} ${cancel}`].join("\n");
  const html = page(
    `<p>${escapeHtml(s.intro)}</p>${block.html}` +
      buttonHtml(url, s.ticketLink) +
      `<p>${escapeHtml(url)}</p>` +
      `<p><small>${escapeHtml(s.cancelText)} <a href="${escapeHtml(cancel)}">${escapeHtml(s.cancelLink)}</a></small></p>`,
  );
  return outboxMessage("reminder", input.to, { subject: s.subject(facts.showTitle), text, html }, input.reservationId);
}
