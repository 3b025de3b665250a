import { getConfig } from "../config.ts";
import type { PrismaClient } from "@sipario/db";
import { cancelReservation } from "../booking/admin.service.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { consumeRateLimits, RATE_LIMITS } from "../rate-limit/rate-limit.service.ts";
import { calendarEvent, qrCodes, ticketUrl } from "./ticket-assets.ts";
import { hashToken } from "./tokens.ts";

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
          checkIn: { select: { checkedInAt: true } },
          performance: {
            select: {
              id: true,
              startsAt: true,
              show: { select: { title: true } },
              venue: { select: { name: true, address: true, city: true, timeZone: true } },
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
 * reservation's id (a ticket link gets forwarded), name, email, phone or notes.
 * Throws unknown_token, reservation_not_confirmed (cancelled, or not confirmed).
 */
export async function getTicket(prisma: PrismaClient, config: AppConfig, rawToken: string) {
  const r = await findTicket(prisma, rawToken);
  if (r.status !== "confirmed") {
    throw new DomainError("reservation_not_confirmed", r.status === "cancelled" ? "This booking was cancelled." : "This booking is not confirmed.", {
      status: r.status,
    });
  }
  return {
    bookingCode: r.bookingCode,
    status: r.status,
    partySize: r.partySize,
    show: { title: r.performance.show.title },
    startsAt: r.performance.startsAt.toISOString(),
    venue: r.performance.venue,
    qr: await qrCodes(ticketUrl(config.ORIGIN, rawToken)),
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
  return { bookingCode: r.bookingCode, status: "cancelled" as const };
}

/**
 * The .ics calendar event of a ticket (for the ticket page's "add to calendar").
 * Throws unknown_token, reservation_not_confirmed.
 */
export async function ticketCalendar(prisma: PrismaClient, config: AppConfig, rawToken: string): Promise<string> {
  const r = await findTicket(prisma, rawToken);
  if (r.status !== "confirmed") throw new DomainError("reservation_not_confirmed", "This booking is not confirmed.", { status: r.status });
  return calendarEvent({
    uid: r.bookingCode,
    showTitle: r.performance.show.title,
    startsAt: r.performance.startsAt,
    venueName: r.performance.venue.name,
    venueAddress: r.performance.venue.address,
    venueCity: r.performance.venue.city,
    url: ticketUrl(config.ORIGIN, rawToken),
  });
}
