import type { AppConfig } from "../config.ts";
import { performanceFacts, type PerformancePlace } from "../booking/emails.ts";
import { type EnqueueEmail, outboxMessage } from "../mail/outbox.service.ts";
import {
  buttonHtml,
  escapeHtml,
  factsBlock,
  formatDateTime,
  linkParagraph,
  mailLocale,
  page,
  smallPrint,
  type MailLocale,
  type RenderedEmail,
} from "../mail/templates.ts";
import { confirmUrl } from "../lib/ticket-assets.ts";

/**
 * The waiting-list emails, in the language the visitor signed up in (Italian unless they
 * chose English): verify the sign-up, "you are on the list", the offer, the offer lapsed,
 * the list closed. Every one goes through the outbox, in the transaction that causes it.
 */

export function waitlistUrl(origin: string, token: string): string {
  return `${origin}/waitlist/${token}`;
}

const strings = {
  it: {
    verifySubject: (t: string) => `Conferma l'iscrizione alla lista d'attesa: ${t}`,
    verifyIntro:
      "Hai chiesto di entrare nella lista d'attesa. Per confermare l'iscrizione apri il link qui sotto e premi «Conferma». Solo dopo la conferma sei in lista.",
    verifyButton: "Conferma l'iscrizione",
    verifyExpiry: (d: string) => `Il link scade ${d}.`,
    ignore: "Se non hai fatto tu questa richiesta, ignora questa email.",
    againSubject: (t: string) => `La tua iscrizione alla lista d'attesa: ${t}`,
    againIntro: "Sei già iscritto alla lista d'attesa per questa replica. Qui puoi vedere la tua posizione o lasciare la lista.",
    positionSubject: (t: string) => `Sei in lista d'attesa: ${t}`,
    positionIntro: (n: number) =>
      `Sei in lista d'attesa, in posizione ${n}. Se si liberano posti per il tuo gruppo ti scriviamo subito e li teniamo da parte per te per un po' di tempo.`,
    statusLink: "Vedi la tua posizione o lascia la lista",
    offerSubject: (t: string, until: string) => `Posti per te fino alle ${until}: ${t}`,
    offerIntro: (until: string) =>
      `Si sono liberati dei posti e sono tuoi: li teniamo da parte per te fino a ${until}. Conferma entro quell'ora per avere il biglietto; dopo passano alla persona successiva in lista.`,
    offerButton: "Conferma i posti",
    declineText: "Non ti servono più? Liberali subito per chi aspetta:",
    declineLink: "Rinuncia ai posti",
    lapsedSubject: (t: string) => `I posti che ti avevamo tenuto sono passati ad altri: ${t}`,
    lapsedIntro:
      "Il tempo per confermare i posti che ti avevamo offerto è scaduto, e sono passati alla persona successiva in lista. Non sei più in lista d'attesa per questa replica.",
    closedSubject: (t: string) => `Lista d'attesa chiusa: ${t}`,
    closedIntro: "Ci dispiace: lo spettacolo sta per iniziare e non si sono liberati posti per il tuo gruppo. La lista d'attesa è chiusa.",
    cancelledSubject: (t: string) => `Replica annullata, lista d'attesa chiusa: ${t}`,
    cancelledIntro: "Ci dispiace: questa replica è stata annullata, e con lei la lista d'attesa.",
    thanks: "Grazie per la pazienza.",
  },
  en: {
    verifySubject: (t: string) => `Confirm your place on the waiting list: ${t}`,
    verifyIntro: "You asked to join the waiting list. To confirm, open the link below and press “Confirm”. You are on the list only once you have confirmed.",
    verifyButton: "Confirm my place",
    verifyExpiry: (d: string) => `The link expires on ${d}.`,
    ignore: "If you did not make this request, please ignore this email.",
    againSubject: (t: string) => `Your place on the waiting list: ${t}`,
    againIntro: "You are already on the waiting list for this performance. Here you can see your position or leave the list.",
    positionSubject: (t: string) => `You are on the waiting list: ${t}`,
    positionIntro: (n: number) =>
      `You are on the waiting list, in position ${n}. If seats come free for your party we will write to you at once and keep them for you for a while.`,
    statusLink: "See your position or leave the list",
    offerSubject: (t: string, until: string) => `Seats for you until ${until}: ${t}`,
    offerIntro: (until: string) =>
      `Seats came free and they are yours: we are keeping them for you until ${until}. Confirm by then to get your ticket; after that they go to the next person on the list.`,
    offerButton: "Confirm the seats",
    declineText: "Don't need them any more? Pass them on now to whoever is waiting:",
    declineLink: "Give up the seats",
    lapsedSubject: (t: string) => `The seats we kept for you went to someone else: ${t}`,
    lapsedIntro:
      "The time to confirm the seats we offered you ran out, and they went to the next person on the list. You are no longer on the waiting list for this performance.",
    closedSubject: (t: string) => `Waiting list closed: ${t}`,
    closedIntro: "We are sorry: the performance is about to start and no seats came free for your party. The waiting list is closed.",
    cancelledSubject: (t: string) => `Performance cancelled, waiting list closed: ${t}`,
    cancelledIntro: "We are sorry: this performance has been cancelled, and its waiting list with it.",
    thanks: "Thank you for your patience.",
  },
} as const;

function hourMinute(instant: Date, locale: MailLocale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "it-IT", { timeZone, hour: "2-digit", minute: "2-digit" }).format(instant);
}

interface Recipient {
  entryId: string;
  to: string;
  /** Who signed up: the greeting, for messages not tied to a reservation (the layout's). */
  name?: string | null;
  locale: string;
  partySize: number;
  performance: PerformancePlace;
}

function compose(
  kind: string,
  r: Recipient,
  config: AppConfig,
  build: (s: (typeof strings)[MailLocale], locale: MailLocale, facts: { text: string; html: string }, zone: string) => RenderedEmail,
  reservationId: string | null = null,
): EnqueueEmail {
  const locale = mailLocale(r.locale);
  const perf = performanceFacts(r.performance, config, r.locale);
  const rendered = build(strings[locale], locale, factsBlock(locale, perf, r.partySize), perf.timeZone);
  // Waiting-list messages may have no reservation: the layout takes its language from the payload.
  return outboxMessage(kind, r.to, rendered, reservationId, { locale, ...(r.name ? { name: r.name } : {}) });
}

/** "Confirm your place": the /waitlist/<token> link (GET changes nothing; the page POSTs). */
export function verifyEmail(config: AppConfig, r: Recipient, token: string, expiresAt: Date): EnqueueEmail {
  return compose("waitlist_verify", r, config, (s, locale, facts, zone) => {
    const url = waitlistUrl(config.ORIGIN, token);
    const expiry = s.verifyExpiry(formatDateTime(expiresAt, locale, zone));
    return {
      subject: s.verifySubject(r.performance.show.title),
      text: [s.verifyIntro, "", facts.text, "", `${s.verifyButton}: ${url}`, "", expiry, "", s.ignore].join("\n"),
      html: page(
        `<p>${escapeHtml(s.verifyIntro)}</p>${facts.html}${buttonHtml(url, s.verifyButton)}` +
          `<p>${escapeHtml(url)}</p><p>${escapeHtml(expiry)}</p>${smallPrint(s.ignore)}`,
      ),
    };
  });
}

/** Someone joined again with an email already on the list: a fresh link to its status page. */
export function alreadyOnListEmail(config: AppConfig, r: Recipient, token: string): EnqueueEmail {
  return compose("waitlist_status", r, config, (s, _locale, facts) => {
    const link = linkParagraph(waitlistUrl(config.ORIGIN, token), s.statusLink);
    return {
      subject: s.againSubject(r.performance.show.title),
      text: [s.againIntro, "", facts.text, "", link.text, "", s.ignore].join("\n"),
      html: page(`<p>${escapeHtml(s.againIntro)}</p>${facts.html}${link.html}${smallPrint(s.ignore)}`),
    };
  });
}

/** "You are on the list, position N", with the status/leave link. */
export function positionEmail(config: AppConfig, r: Recipient, token: string, position: number): EnqueueEmail {
  return compose("waitlist_position", r, config, (s, _locale, facts) => {
    const link = linkParagraph(waitlistUrl(config.ORIGIN, token), s.statusLink);
    return {
      subject: s.positionSubject(r.performance.show.title),
      text: [s.positionIntro(position), "", facts.text, "", link.text].join("\n"),
      html: page(`<p>${escapeHtml(s.positionIntro(position))}</p>${facts.html}${link.html}`),
    };
  });
}

/** "Seats for you until HH:MM": the usual /confirm/<token> link, and a decline link. */
export function offerEmail(
  config: AppConfig,
  r: Recipient,
  input: { reservationId: string; confirmationToken: string; waitlistToken: string; offerExpiresAt: Date },
): EnqueueEmail {
  return compose(
    "waitlist_offer",
    r,
    config,
    (s, locale, facts, zone) => {
      const confirm = confirmUrl(config.ORIGIN, input.confirmationToken);
      const decline = waitlistUrl(config.ORIGIN, input.waitlistToken);
      const until = formatDateTime(input.offerExpiresAt, locale, zone);
      return {
        subject: s.offerSubject(r.performance.show.title, hourMinute(input.offerExpiresAt, locale, zone)),
        text: [s.offerIntro(until), "", facts.text, "", `${s.offerButton}: ${confirm}`, "", `${s.declineText} ${decline}`].join("\n"),
        html: page(
          `<p>${escapeHtml(s.offerIntro(until))}</p>${facts.html}${buttonHtml(confirm, s.offerButton)}` +
            `<p>${escapeHtml(confirm)}</p><p>${escapeHtml(s.declineText)} <a href="${escapeHtml(decline)}">${escapeHtml(s.declineLink)}</a></p>`,
        ),
      };
    },
    input.reservationId,
  );
}

/** The offer ran out; the seats went on. */
export function lapsedEmail(config: AppConfig, r: Recipient, reservationId: string | null): EnqueueEmail {
  return compose(
    "waitlist_lapsed",
    r,
    config,
    (s, _locale, facts) => ({
      subject: s.lapsedSubject(r.performance.show.title),
      text: [s.lapsedIntro, "", facts.text].join("\n"),
      html: page(`<p>${escapeHtml(s.lapsedIntro)}</p>${facts.html}`),
    }),
    reservationId,
  );
}

/** The performance starts: "sorry, no seats came free" (or, cancelled: "sorry, it was cancelled"). */
export function closedEmail(config: AppConfig, r: Recipient, cancelled = false): EnqueueEmail {
  return compose("waitlist_closed", r, config, (s, _locale, facts) => {
    const intro = cancelled ? s.cancelledIntro : s.closedIntro;
    return {
      subject: (cancelled ? s.cancelledSubject : s.closedSubject)(r.performance.show.title),
      text: [intro, "", facts.text, "", s.thanks].join("\n"),
      html: page(`<p>${escapeHtml(intro)}</p>${facts.html}<p>${escapeHtml(s.thanks)}</p>`),
    };
  });
}
