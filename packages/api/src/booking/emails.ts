import type { PrismaClient } from "@sipario/db";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { contentLocale, mapUrl, pairedSelect, pickTranslation, VENUE_TEXT } from "../i18n/translated.ts";
import { type EnqueueEmail, outboxMessage } from "../mail/outbox.service.ts";
import { mailLocale, QR_CID, renderConfirmationEmail, renderSelfCancelEmail, renderTicketEmail, type PerformanceFacts } from "../mail/templates.ts";
import { calendarEvent, cancelUrl, confirmUrl, ticketUrl } from "../lib/ticket-assets.ts";
import { safeTimeZone, ticketsValidUntil } from "../lib/ticket-time.ts";
import { generateToken } from "../lib/tokens.ts";

/**
 * What the emails need to know about a performance. The English columns of its translated
 * fields (docs/adr/0016) are optional so a place built by hand still fits; missing, the
 * Italian text is used.
 */
export interface PerformancePlace {
  id: string;
  startsAt: Date;
  show: { title: string; titleEn?: string; runningTimeMinutes?: number | null };
  venue: {
    name: string;
    nameEn?: string;
    address: string;
    city: string;
    timeZone: string;
    notes?: string;
    notesEn?: string;
    accessInfo?: string;
    accessInfoEn?: string;
  };
}

/** The performance as one recipient reads it: translated texts in their language (else the other). */
export function performanceFacts(p: PerformancePlace, config: AppConfig, locale: string | null = "it"): PerformanceFacts {
  const lang = contentLocale(locale);
  const text = (italian: string | undefined, english: string | undefined) => pickTranslation(italian, english, lang).text;
  return {
    showTitle: text(p.show.title, p.show.titleEn),
    startsAt: p.startsAt,
    durationMinutes: p.show.runningTimeMinutes ?? null,
    venueName: text(p.venue.name, p.venue.nameEn),
    venueAddress: p.venue.address,
    venueCity: p.venue.city,
    venueNotes: text(p.venue.notes, p.venue.notesEn),
    venueAccess: text(p.venue.accessInfo, p.venue.accessInfoEn),
    mapUrl: mapUrl(p.venue),
    timeZone: safeTimeZone(p.venue.timeZone, config.TIME_ZONE),
  };
}

export const performancePlaceSelect = {
  id: true,
  startsAt: true,
  show: { select: { title: true, titleEn: true, runningTimeMinutes: true } },
  venue: { select: { address: true, city: true, timeZone: true, ...pairedSelect(VENUE_TEXT) } },
} as const;

/** What a ticket and its email are made of. */
export interface TicketReservation {
  id: string;
  /** The public booking code (printed on the ticket, the calendar UID). */
  bookingCode: string;
  /** Null only for a box-office reservation made without one: its ticket is printed instead. */
  email: string | null;
  source?: "online" | "box_office" | "waitlist";
  locale: string;
  partySize: number;
  performance: PerformancePlace;
}

/** A reservation with what its emails need (no token). Throws not_found. */
export async function reservationForEmail(prisma: PrismaClient, reservationId: string) {
  const reservation = await prisma.reservation.findUnique({
    where: { id: reservationId },
    select: { id: true, bookingCode: true, status: true, email: true, locale: true, partySize: true, performance: { select: performancePlaceSelect } },
  });
  if (!reservation) throw new DomainError("not_found", "Reservation not found.");
  return reservation;
}

export function confirmationEmail(
  config: AppConfig,
  input: { reservationId: string; to: string; locale: string; partySize: number; performance: PerformancePlace; token: string; expiresAt: Date },
): EnqueueEmail {
  const rendered = renderConfirmationEmail({
    locale: mailLocale(input.locale),
    facts: performanceFacts(input.performance, config, input.locale),
    partySize: input.partySize,
    confirmUrl: confirmUrl(config.ORIGIN, input.token),
    expiresAt: input.expiresAt,
  });
  return outboxMessage("confirmation", input.to, rendered, input.reservationId);
}

/**
 * A new ticket for a reservation (as `reservationForEmail` reads it): the raw check-in
 * token, when it stops working (end of the performance day + TICKET_GRACE_HOURS) and the
 * ticket email carrying it (null when the reservation has no email: a box-office ticket
 * is printed). Confirmation and "send the ticket again" both issue tickets this way; the
 * caller stores `hashToken(token)` in its own transaction.
 */
export function newTicket(config: AppConfig, reservation: TicketReservation) {
  const token = generateToken();
  const email = reservation.email
    ? ticketEmail(config, {
        reservationId: reservation.id,
        bookingCode: reservation.bookingCode,
        to: reservation.email,
        locale: reservation.locale,
        partySize: reservation.partySize,
        performance: reservation.performance,
        token,
        boxOffice: reservation.source === "box_office",
      })
    : null;
  const expiresAt = ticketsValidUntil(reservation.performance, config);
  return { token, email, expiresAt };
}

/** The ticket email: QR inline (cid, drawn when sent), ticket and cancel links, .ics attachment. */
export function ticketEmail(
  config: AppConfig,
  input: {
    reservationId: string;
    bookingCode: string;
    to: string;
    locale: string;
    partySize: number;
    performance: PerformancePlace;
    token: string;
    boxOffice?: boolean;
  },
): EnqueueEmail {
  const url = ticketUrl(config.ORIGIN, input.token);
  const facts = performanceFacts(input.performance, config, input.locale);
  const rendered = renderTicketEmail({
    locale: mailLocale(input.locale),
    facts,
    partySize: input.partySize,
    ticketUrl: url,
    cancelUrl: cancelUrl(config.ORIGIN, input.token),
    boxOffice: input.boxOffice,
    bookingCode: input.bookingCode,
  });
  const ics = calendarEvent({
    uid: input.bookingCode,
    showTitle: facts.showTitle,
    startsAt: input.performance.startsAt,
    durationMinutes: facts.durationMinutes,
    venueName: facts.venueName,
    venueAddress: input.performance.venue.address,
    venueCity: input.performance.venue.city,
    url,
  });
  return outboxMessage("ticket", input.to, rendered, input.reservationId, {
    attachments: [
      { filename: "ticket-qr.png", contentType: "image/png", qrCodeOf: url, cid: QR_CID },
      { filename: "performance.ics", contentType: "text/calendar; charset=utf-8", content: Buffer.from(ics, "utf8").toString("base64") },
    ],
  });
}

/** The "your booking is cancelled" email a visitor gets after cancelling their own booking. */
export function selfCancelEmail(
  config: AppConfig,
  reservation: { id: string; email: string; locale: string; partySize: number; performance: PerformancePlace },
): EnqueueEmail {
  const rendered = renderSelfCancelEmail({
    locale: mailLocale(reservation.locale),
    facts: performanceFacts(reservation.performance, config, reservation.locale),
    partySize: reservation.partySize,
  });
  return outboxMessage("self_cancel", reservation.email, rendered, reservation.id);
}
