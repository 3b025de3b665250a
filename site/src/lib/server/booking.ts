import type { PrismaClient } from "@sipario/db";
import type { Cookies } from "@sveltejs/kit";
import { BOOKED_COOKIE_MAX_AGE_SECONDS, BOOKED_COOKIE_NAME, getConfig, localize, readBookedCookie, signBookedCookie, type ContentLocale } from "@sipario/api";

/**
 * After booking, the "check your email" page needs to know which reservation this browser
 * just made: its id rides in an httpOnly cookie scoped to /book, signed (packages/api
 * booking/booked-cookie.ts), so the address never appears in a URL or a log and a
 * forged or foreign id is ignored.
 */
export const RESEND_AFTER_MS = 60_000;

export function rememberBooking(cookies: Cookies, reservationId: string, secure: boolean): void {
  cookies.set(BOOKED_COOKIE_NAME, signBookedCookie(getConfig().sessionSecret, reservationId), {
    path: "/book",
    httpOnly: true,
    sameSite: "lax",
    secure,
    maxAge: BOOKED_COOKIE_MAX_AGE_SECONDS,
  });
}

export function rememberedBookingId(cookies: Cookies): string | null {
  return readBookedCookie(getConfig().sessionSecret, cookies.get(BOOKED_COOKIE_NAME));
}

/** What the "check your email" page shows about the booking this browser just made. */
export async function bookingSummary(prisma: PrismaClient, reservationId: string, locale: ContentLocale = "it") {
  const r = await prisma.reservation.findUnique({
    where: { id: reservationId },
    select: {
      id: true,
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
      tokens: { where: { purpose: "confirmation" }, orderBy: { createdAt: "desc" }, take: 1, select: { expiresAt: true, createdAt: true } },
      emails: { where: { kind: "confirmation" }, orderBy: { createdAt: "desc" }, take: 1, select: { createdAt: true } },
    },
  });
  if (!r) return null;
  const lastSentAt = r.emails[0]?.createdAt ?? r.tokens[0]?.createdAt ?? null;
  return {
    email: r.email,
    status: r.status,
    partySize: r.partySize,
    startsAt: r.performance.startsAt.toISOString(),
    show: { slug: r.performance.show.slug, ...localize(r.performance.show, ["title"], locale) },
    venue: { city: r.performance.venue.city, timeZone: r.performance.venue.timeZone, ...localize(r.performance.venue, ["name"], locale) },
    expiresAt: r.tokens[0]?.expiresAt.toISOString() ?? null,
    lastSentAt: lastSentAt?.toISOString() ?? null,
  };
}
