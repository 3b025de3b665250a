import type { PrismaClient } from "@sipario/db";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { type ContentLocale, localize } from "../i18n/translated.ts";
import { resendConfirmationEmail } from "./resend.service.ts";
import { readBookedCookie } from "./booked-cookie.ts";

/**
 * The "check your email" page (/book/sent): what the browser that just booked may see and
 * do with that booking. It names the booking by its receipt, the signed value of the
 * sipario_booked cookie (booked-cookie.ts), never by a bare id: with another visitor's id
 * the page used to show their email and re-send their link (issue 13, finding 11).
 */

/** A visitor may ask for a new confirmation link at most this often, per booking. */
export const RESEND_AFTER_MS = 60_000;

/** The reservation a receipt names; not_found for one this server did not sign, or that expired. */
function reservationOfReceipt(config: Pick<AppConfig, "sessionSecret">, receipt: string): string {
  const id = readBookedCookie(config.sessionSecret, receipt);
  if (!id) throw new DomainError("not_found", "No recent booking from this browser.");
  return id;
}

export interface BookingSummary {
  /** Where the confirmation link went (the visitor's own address). */
  email: string | null;
  status: "pending" | "confirmed" | "cancelled" | "expired";
  partySize: number;
  startsAt: string;
  show: { slug: string; title: string; lang: { title: ContentLocale } };
  venue: { city: string; timeZone: string; name: string; lang: { name: ContentLocale } };
  /** When the current confirmation link stops working; null once it is gone. */
  expiresAt: string | null;
}

/** What the page shows about the booking a receipt names. Throws not_found. */
export async function bookingSummary(prisma: PrismaClient, config: AppConfig, receipt: string, locale: ContentLocale = "it"): Promise<BookingSummary> {
  const r = await prisma.reservation.findUnique({
    where: { id: reservationOfReceipt(config, receipt) },
    select: {
      email: true,
      status: true,
      partySize: true,
      performance: {
        select: {
          startsAt: true,
          show: { select: { title: true, titleEn: true, slug: true } },
          venue: { select: { name: true, nameEn: true, city: true, timeZone: true } },
        },
      },
      tokens: { where: { purpose: "confirmation" }, orderBy: { createdAt: "desc" }, take: 1, select: { expiresAt: true } },
    },
  });
  if (!r) throw new DomainError("not_found", "No recent booking from this browser.");
  return {
    email: r.email,
    status: r.status,
    partySize: r.partySize,
    startsAt: r.performance.startsAt.toISOString(),
    show: { slug: r.performance.show.slug, ...localize(r.performance.show, ["title"], locale) },
    venue: { city: r.performance.venue.city, timeZone: r.performance.venue.timeZone, ...localize(r.performance.venue, ["name"], locale) },
    expiresAt: r.tokens[0]?.expiresAt.toISOString() ?? null,
  };
}

/**
 * A new confirmation link for the booking a receipt names, at most once per
 * RESEND_AFTER_MS: the rule is checked against the outbox (shared by every server
 * process), under the reservation's lock, not against the browser. Throws not_found,
 * rate_limited (with retryAfterSeconds), reservation_not_pending, booking_closed.
 */
export async function resendOwnConfirmation(prisma: PrismaClient, config: AppConfig, receipt: string, now = new Date()): Promise<{ status: "sent" }> {
  await resendConfirmationEmail(prisma, config, reservationOfReceipt(config, receipt), { now, notWithinMs: RESEND_AFTER_MS });
  return { status: "sent" };
}
