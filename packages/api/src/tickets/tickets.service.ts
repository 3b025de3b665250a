import { getConfig } from "../config.ts";
import type { PrismaClient } from "@sipario/db";
import { cancelReservation } from "../cancellation/cancellation.service.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { consumeRateLimits, RATE_LIMITS } from "../rate-limit/rate-limit.service.ts";
import { type ContentLocale, localize, mapUrl, pairedSelect, VENUE_TEXT } from "../i18n/translated.ts";
import { calendarEvent, googleCalendarUrl, qrCodes, ticketUrl } from "../lib/ticket-assets.ts";
import { hashToken } from "../lib/tokens.ts";

/**
 * Counts one request to a ticket endpoint (tickets.get, tickets.cancel, the ticket page and
 * its calendar file) against the caller's address: a token cannot be guessed, but a flood
 * of guesses still costs a query each. Throws DomainError rate_limited.
 */
export function consumeTicketRequest(prisma: PrismaClient, config: Pick<AppConfig, "RATE_LIMITS">, clientAddress: string): Promise<void> {
  return consumeRateLimits(prisma, config.RATE_LIMITS, [{ key: `ticket:addr:${clientAddress}`, rule: RATE_LIMITS.ticketPerAddress }]);
}

async function findTicket(prisma: PrismaClient, rawToken: string) {
  const token = await prisma.reservationToken.findUnique({
    where: { tokenHash: hashToken(rawToken) },
    select: {
      purpose: true,
      reservation: {
        select: {
          id: true,
          bookingCode: true,
          status: true,
          partySize: true,
          cancelledAt: true,
          checkIn: { select: { checkedInAt: true } },
          performance: {
            select: {
              id: true,
              startsAt: true,
              note: true,
              noteEn: true,
              show: { select: { slug: true, runningTimeMinutes: true, ...pairedSelect(["title"]) } },
              venue: { select: { slug: true, address: true, city: true, timeZone: true, ...pairedSelect(VENUE_TEXT) } },
            },
          },
        },
      },
    },
  });
  if (!token || token.purpose !== "check_in") throw new DomainError("unknown_token", "This ticket link is not valid.");
  return token.reservation;
}

/**
 * The ticket behind a check_in token, with its QR code (SVG and PNG data URL) encoding
 * exactly `${ORIGIN}/tickets/<token>`, and the public booking code. Never returns the
 * party's name, email, phone or notes. `reservationId` stays because the public interface
 * (CONTRACT.md) names it; it is given only to whoever holds the ticket's token, and opens
 * nothing by itself (the /book/sent cookie is signed, issue 13 finding 11). Pages show the
 * booking code, never the id.
 * Throws unknown_token, reservation_not_confirmed (cancelled, or not confirmed).
 */
export async function getTicket(prisma: PrismaClient, config: AppConfig, rawToken: string, locale: ContentLocale = "it") {
  const r = await findTicket(prisma, rawToken);
  const show = { slug: r.performance.show.slug, ...localize(r.performance.show, ["title"], locale) };
  if (r.status !== "confirmed") {
    // A cancelled ticket's page says when, and links to the show's other dates.
    const cancelled = r.status === "cancelled" ? { cancelledAt: r.cancelledAt?.toISOString() ?? null, show } : {};
    throw new DomainError("reservation_not_confirmed", r.status === "cancelled" ? "This booking was cancelled." : "This booking is not confirmed.", {
      status: r.status,
      ...cancelled,
    });
  }
  const { venue, startsAt } = r.performance;
  const { note, lang } = localize(r.performance, ["note"], locale);
  const place = {
    slug: venue.slug,
    address: venue.address,
    city: venue.city,
    timeZone: venue.timeZone,
    mapUrl: mapUrl(venue),
    ...localize(venue, VENUE_TEXT, locale),
  };
  return {
    reservationId: r.id,
    bookingCode: r.bookingCode,
    status: r.status,
    partySize: r.partySize,
    show: { ...show, runningTimeMinutes: r.performance.show.runningTimeMinutes },
    startsAt: startsAt.toISOString(),
    note,
    noteLang: lang.note,
    venue: place,
    qr: await qrCodes(ticketUrl(config.ORIGIN, rawToken)),
    /** Google Calendar's "add event" link: no token in it, the event names only the show and the place. */
    googleCalendarUrl: googleCalendarUrl({
      showTitle: show.title,
      startsAt,
      durationMinutes: r.performance.show.runningTimeMinutes,
      location: [place.name, venue.address, venue.city].filter(Boolean).join(", "),
    }),
    checkedInAt: r.checkIn?.checkedInAt.toISOString() ?? null,
  };
}

/**
 * The ticket holder gives the seats back (before check-in): they are available again
 * at once. Throws unknown_token, already_checked_in, reservation_not_confirmed.
 */
export async function cancelTicket(prisma: PrismaClient, rawToken: string, config?: AppConfig) {
  const r = await findTicket(prisma, rawToken);
  if (r.status !== "confirmed" && !r.checkIn) {
    throw new DomainError("reservation_not_confirmed", "This booking is not confirmed.", { status: r.status });
  }
  await cancelReservation(prisma, r.id, { actor: { label: "ticket holder" }, config, notifyHolder: config ?? getConfig() });
  return { reservationId: r.id, bookingCode: r.bookingCode, status: "cancelled" as const };
}

/**
 * The .ics calendar event of a ticket (for the ticket page's "add to calendar").
 * Throws unknown_token, reservation_not_confirmed.
 */
export async function ticketCalendar(prisma: PrismaClient, config: AppConfig, rawToken: string, locale: ContentLocale = "it"): Promise<string> {
  const r = await findTicket(prisma, rawToken);
  if (r.status !== "confirmed") throw new DomainError("reservation_not_confirmed", "This booking is not confirmed.", { status: r.status });
  return calendarEvent({
    uid: r.bookingCode,
    showTitle: localize(r.performance.show, ["title"], locale).title,
    startsAt: r.performance.startsAt,
    durationMinutes: r.performance.show.runningTimeMinutes,
    venueName: localize(r.performance.venue, ["name"], locale).name,
    venueAddress: r.performance.venue.address,
    venueCity: r.performance.venue.city,
    url: ticketUrl(config.ORIGIN, rawToken),
  });
}
