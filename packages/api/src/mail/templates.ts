/**
 * Email templates, Italian and English (by reservation.locale), HTML + plain text.
 * Dates are shown in the venue's time zone through Intl. Every interpolated value is
 * escaped for HTML.
 */

import { escapeHtml } from "./escape.ts";
import { BUTTON_COLOUR, LAYOUT_MARKER } from "./layout.ts";

export type MailLocale = "it" | "en";
export function mailLocale(locale: string | null | undefined): MailLocale {
  return locale?.toLowerCase().startsWith("en") ? "en" : "it";
}

export { escapeHtml } from "./escape.ts";

// One formatter per locale and zone: building one costs more than the rest of an email.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(instant: Date, locale: MailLocale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "it-IT", {
      timeZone,
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
    if (dateTimeFormats.size < 200) dateTimeFormats.set(key, format);
  }
  return format.format(instant);
}

export interface PerformanceFacts {
  showTitle: string;
  startsAt: Date;
  /** The show's running time in minutes; null: not given. */
  durationMinutes?: number | null;
  venueName: string;
  venueAddress: string;
  venueCity: string;
  /** Address notes and access information, in the recipient's language ("" when none). */
  venueNotes?: string;
  venueAccess?: string;
  /** An OpenStreetMap link to the address. */
  mapUrl?: string;
  timeZone: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const strings = {
  it: {
    confirmSubject: (t: string) => `Conferma la tua prenotazione: ${t}`,
    confirmIntro: "Grazie per la tua richiesta di prenotazione. Per confermarla apri il link qui sotto e premi «Conferma».",
    confirmButton: "Conferma la prenotazione",
    confirmExpiry: (d: string) => `Il link scade ${d}. Finché non confermi, i posti non sono garantiti.`,
    ignore: "Se non hai fatto tu questa richiesta, ignora questa email.",
    ticketSubject: (t: string) => `Il tuo biglietto: ${t}`,
    ticketIntro: "La tua prenotazione è confermata. Mostra questo codice QR all'ingresso (dal telefono o stampato).",
    ticketLink: "Apri il biglietto",
    cancelText: "Non puoi venire? Libera i posti per altri spettatori:",
    cancelLink: "Annulla la prenotazione",
    calendar: "In allegato trovi l'evento da aggiungere al calendario.",
    cancelledPerformanceSubject: (t: string) => `Spettacolo annullato: ${t}`,
    cancelledPerformanceIntro: "Ci dispiace molto: la replica qui sotto è stata annullata e la tua prenotazione non è più valida.",
    cancelledPerformanceNext: "Non devi fare nulla: i posti non ti verranno addebitati e il biglietto non serve più.",
    contact: (c: string) => `Per qualsiasi domanda rispondi a questa email o scrivi a ${c}.`,
    movedSubject: (t: string) => `Cambio di data o di luogo: ${t}`,
    movedIntro: "La replica per cui hai prenotato è stata spostata. Ecco la nuova data, ora e luogo:",
    movedBefore: (d: string) => `Prima era: ${d}.`,
    movedTicket: "Il tuo biglietto resta valido: porta lo stesso codice QR. Se non puoi più venire, annulla dal biglietto per liberare i posti.",
    movedCalendar: "In allegato l'evento aggiornato: il tuo calendario sostituirà quello vecchio.",
    selfCancelSubject: (t: string) => `Prenotazione annullata: ${t}`,
    selfCancelIntro: "Come hai chiesto, la tua prenotazione è annullata e i posti sono di nuovo liberi per altri spettatori.",
    selfCancelAgain: "Se cambi idea puoi prenotare di nuovo dal sito, finché ci sono posti.",
    boxOfficeIntro: "Ecco il tuo biglietto, prenotato in biglietteria. Mostra questo codice QR all'ingresso (dal telefono o stampato).",
    show: "Spettacolo",
    when: "Quando",
    where: "Dove",
    entrance: "Ingresso",
    access: "Accessibilità",
    map: "Apri la mappa",
    seats: "Posti",
    bookingCode: "Codice prenotazione",
  },
  en: {
    confirmSubject: (t: string) => `Confirm your booking: ${t}`,
    confirmIntro: "Thank you for your booking request. To confirm it, open the link below and press “Confirm”.",
    confirmButton: "Confirm the booking",
    confirmExpiry: (d: string) => `The link expires on ${d}. Until you confirm, the seats are not guaranteed.`,
    ignore: "If you did not make this request, please ignore this email.",
    ticketSubject: (t: string) => `Your ticket: ${t}`,
    ticketIntro: "Your booking is confirmed. Show this QR code at the entrance (on your phone or printed).",
    ticketLink: "Open the ticket",
    cancelText: "Cannot come? Give the seats back to other visitors:",
    cancelLink: "Cancel the booking",
    calendar: "The attached event can be added to your calendar.",
    cancelledPerformanceSubject: (t: string) => `Performance cancelled: ${t}`,
    cancelledPerformanceIntro: "We are very sorry: the performance below has been cancelled, and your booking no longer stands.",
    cancelledPerformanceNext: "You need not do anything: nothing is charged and the ticket is no longer needed.",
    contact: (c: string) => `For any question, reply to this email or write to ${c}.`,
    movedSubject: (t: string) => `New date or place: ${t}`,
    movedIntro: "The performance you booked has been moved. Here are the new date, time and place:",
    movedBefore: (d: string) => `It was: ${d}.`,
    movedTicket: "Your ticket stays valid: bring the same QR code. If you can no longer come, cancel from the ticket to free the seats.",
    movedCalendar: "The attached event is updated: your calendar will replace the old one.",
    selfCancelSubject: (t: string) => `Booking cancelled: ${t}`,
    selfCancelIntro: "As you asked, your booking is cancelled and the seats are free again for other visitors.",
    selfCancelAgain: "If you change your mind you can book again on the website while seats are left.",
    boxOfficeIntro: "Here is your ticket, booked at the box office. Show this QR code at the entrance (on your phone or printed).",
    show: "Show",
    when: "When",
    where: "Where",
    entrance: "Entrance",
    access: "Access",
    map: "Open the map",
    seats: "Seats",
    bookingCode: "Booking code",
  },
} as const;

export function factsBlock(locale: MailLocale, facts: PerformanceFacts, partySize: number, extra: [string, string][] = []): { text: string; html: string } {
  const s = strings[locale];
  const when = formatDateTime(facts.startsAt, locale, facts.timeZone);
  const where = [facts.venueName, facts.venueAddress, facts.venueCity].filter(Boolean).join(", ");
  const rows: [string, string][] = [
    [s.show, facts.showTitle],
    [s.when, when],
    [s.where, where],
    ...(facts.venueNotes ? [[s.entrance, facts.venueNotes] as [string, string]] : []),
    ...(facts.venueAccess ? [[s.access, facts.venueAccess] as [string, string]] : []),
    [s.seats, String(partySize)],
    ...extra,
  ];
  const map = facts.mapUrl ? linkParagraph(facts.mapUrl, s.map) : null;
  return {
    text: rows.map(([k, v]) => `${k}: ${v}`).join("\n") + (map ? `\n${map.text}` : ""),
    html:
      `<table role="presentation" cellpadding="4">${rows
        .map(([k, v]) => `<tr><th align="left" valign="top">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
        .join("")}</table>` + (map ? map.html : ""),
  };
}

/** A link on its own line: `label: url` in the text part, a plain link in the HTML. */
export function linkParagraph(url: string, label: string): { text: string; html: string } {
  return { text: `${label}: ${url}`, html: `<p><a href="${escapeHtml(url)}">${escapeHtml(label)}</a></p>` };
}

const BUTTON_STYLE = `display:inline-block;padding:10px 16px;background:${BUTTON_COLOUR};color:#fff;text-decoration:none;border-radius:4px`;

/** The message's main action as a button; the layout gives it the company's colour. */
export function buttonHtml(url: string, label: string): string {
  return `<p><a href="${escapeHtml(url)}" style="${BUTTON_STYLE}">${escapeHtml(label)}</a></p>`;
}

/** A paragraph of small print (what to ignore, what the attachment is). */
export function smallPrint(text: string): string {
  return `<p><small>${escapeHtml(text)}</small></p>`;
}

/** An email's body: the outbox puts it in the shared layout (mail/layout.ts) when it sends it. */
export function page(body: string): string {
  return `${LAYOUT_MARKER}${body}`;
}

export function renderConfirmationEmail(input: {
  locale: MailLocale;
  facts: PerformanceFacts;
  partySize: number;
  confirmUrl: string;
  expiresAt: Date;
}): RenderedEmail {
  const s = strings[input.locale];
  const facts = factsBlock(input.locale, input.facts, input.partySize);
  const expiry = s.confirmExpiry(formatDateTime(input.expiresAt, input.locale, input.facts.timeZone));
  return {
    subject: s.confirmSubject(input.facts.showTitle),
    text: [s.confirmIntro, "", facts.text, "", `${s.confirmButton}: ${input.confirmUrl}`, "", expiry, "", s.ignore].join("\n"),
    html: page(
      `<p>${escapeHtml(s.confirmIntro)}</p>${facts.html}` +
        buttonHtml(input.confirmUrl, s.confirmButton) +
        `<p>${escapeHtml(input.confirmUrl)}</p><p>${escapeHtml(expiry)}</p>${smallPrint(s.ignore)}`,
    ),
  };
}

export const QR_CID = "ticket-qr@sipario";

export function renderTicketEmail(input: {
  locale: MailLocale;
  facts: PerformanceFacts;
  partySize: number;
  ticketUrl: string;
  cancelUrl: string;
  /** A box-office booking: the opening line says where it was made. */
  boxOffice?: boolean;
  /** The public booking code, to quote at the box office. */
  bookingCode: string;
}): RenderedEmail {
  const s = strings[input.locale];
  const facts = factsBlock(input.locale, input.facts, input.partySize, [[s.bookingCode, input.bookingCode]]);
  const intro = input.boxOffice ? s.boxOfficeIntro : s.ticketIntro;
  return {
    subject: s.ticketSubject(input.facts.showTitle),
    text: [intro, "", facts.text, "", `${s.ticketLink}: ${input.ticketUrl}`, "", `${s.cancelText} ${input.cancelUrl}`, "", s.calendar].join("\n"),
    html: page(
      `<p>${escapeHtml(intro)}</p>${facts.html}` +
        `<p><img src="cid:${QR_CID}" alt="QR" width="240" height="240"></p>` +
        linkParagraph(input.ticketUrl, s.ticketLink).html +
        `<p>${escapeHtml(s.cancelText)} <a href="${escapeHtml(input.cancelUrl)}">${escapeHtml(s.cancelLink)}</a></p>` +
        smallPrint(s.calendar),
    ),
  };
}

/** The performance was cancelled by the company: sorry, what happened, whom to contact. */
export function renderPerformanceCancelledEmail(input: { locale: MailLocale; facts: PerformanceFacts; partySize: number; contact: string }): RenderedEmail {
  const s = strings[input.locale];
  const facts = factsBlock(input.locale, input.facts, input.partySize);
  const contact = s.contact(input.contact);
  return {
    subject: s.cancelledPerformanceSubject(input.facts.showTitle),
    text: [s.cancelledPerformanceIntro, "", facts.text, "", s.cancelledPerformanceNext, "", contact].join("\n"),
    html: page(
      `<p>${escapeHtml(s.cancelledPerformanceIntro)}</p>${facts.html}` + `<p>${escapeHtml(s.cancelledPerformanceNext)}</p><p>${escapeHtml(contact)}</p>`,
    ),
  };
}

/** The performance moved: the new date, time and place (the .ics travels as an attachment). */
export function renderPerformanceMovedEmail(input: {
  locale: MailLocale;
  facts: PerformanceFacts;
  previous: PerformanceFacts;
  partySize: number;
  contact: string;
}): RenderedEmail {
  const s = strings[input.locale];
  const facts = factsBlock(input.locale, input.facts, input.partySize);
  const before = s.movedBefore(
    [formatDateTime(input.previous.startsAt, input.locale, input.previous.timeZone), input.previous.venueName].filter(Boolean).join(", "),
  );
  const contact = s.contact(input.contact);
  return {
    subject: s.movedSubject(input.facts.showTitle),
    text: [s.movedIntro, "", facts.text, "", before, "", s.movedTicket, "", s.movedCalendar, "", contact].join("\n"),
    html: page(
      `<p>${escapeHtml(s.movedIntro)}</p>${facts.html}<p>${escapeHtml(before)}</p>` +
        `<p>${escapeHtml(s.movedTicket)}</p>${smallPrint(s.movedCalendar)}<p>${escapeHtml(contact)}</p>`,
    ),
  };
}

/** The visitor cancelled their own booking: it is done, the seats are free again. */
export function renderSelfCancelEmail(input: { locale: MailLocale; facts: PerformanceFacts; partySize: number }): RenderedEmail {
  const s = strings[input.locale];
  const facts = factsBlock(input.locale, input.facts, input.partySize);
  return {
    subject: s.selfCancelSubject(input.facts.showTitle),
    text: [s.selfCancelIntro, "", facts.text, "", s.selfCancelAgain].join("\n"),
    html: page(`<p>${escapeHtml(s.selfCancelIntro)}</p>${facts.html}<p>${escapeHtml(s.selfCancelAgain)}</p>`),
  };
}
