import type { PrismaClient } from "@sipario/db";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import type { EnqueueEmail } from "../mail/outbox.service.ts";
import { mailLocale, QR_CID, renderConfirmationEmail, renderTicketEmail, type PerformanceFacts } from "../mail/templates.ts";
import { calendarEvent, cancelUrl, confirmUrl, ticketUrl } from "../tickets/ticket-assets.ts";
import { safeTimeZone, ticketsValidUntil } from "../tickets/ticket-time.ts";
import { generateToken } from "../tickets/tokens.ts";

/** What the emails need to know about a performance. */
export interface PerformancePlace {
  id: string;
  startsAt: Date;
  show: { title: string };
  venue: { name: string; address: string; city: string; timeZone: string };
}

export function performanceFacts(p: PerformancePlace, config: AppConfig): PerformanceFacts {
  return {
    showTitle: p.show.title,
    startsAt: p.startsAt,
    venueName: p.venue.name,
    venueAddress: p.venue.address,
    venueCity: p.venue.city,
    timeZone: safeTimeZone(p.venue.timeZone, config.TIME_ZONE),
  };
}

export const performancePlaceSelect = {
  id: true,
  startsAt: true,
  show: { select: { title: true } },
  venue: { select: { name: true, address: true, city: true, timeZone: true } },
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
    facts: performanceFacts(input.performance, config),
    partySize: input.partySize,
    confirmUrl: confirmUrl(config.ORIGIN, input.token),
    expiresAt: input.expiresAt,
  });
  return {
    kind: "confirmation",
    reservationId: input.reservationId,
    to: input.to,
    subject: rendered.subject,
    payload: { text: rendered.text, html: rendered.html },
  };
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
  const rendered = renderTicketEmail({
    locale: mailLocale(input.locale),
    facts: performanceFacts(input.performance, config),
    partySize: input.partySize,
    ticketUrl: url,
    cancelUrl: cancelUrl(config.ORIGIN, input.token),
    boxOffice: input.boxOffice,
    bookingCode: input.bookingCode,
  });
  const ics = calendarEvent({
    uid: input.bookingCode,
    showTitle: input.performance.show.title,
    startsAt: input.performance.startsAt,
    venueName: input.performance.venue.name,
    venueAddress: input.performance.venue.address,
    venueCity: input.performance.venue.city,
    url,
  });
  return {
    kind: "ticket",
    reservationId: input.reservationId,
    to: input.to,
    subject: rendered.subject,
    payload: {
      text: rendered.text,
      html: rendered.html,
      attachments: [
        { filename: "ticket-qr.png", contentType: "image/png", qrCodeOf: url, cid: QR_CID },
        { filename: "performance.ics", contentType: "text/calendar; charset=utf-8", content: Buffer.from(ics, "utf8").toString("base64") },
      ],
    },
  };
}
