import type { Cookies } from "@sveltejs/kit";
import { BOOKED_COOKIE_MAX_AGE_SECONDS, BOOKED_COOKIE_NAME, getConfig, signBookedCookie } from "@sipario/api";

/**
 * After booking, the "check your email" page needs to know which reservation this browser
 * just made: its id rides in an httpOnly cookie scoped to /book, signed (packages/api
 * booking/booked-cookie.ts), so the address never appears in a URL or a log. The page
 * hands the cookie's value to booking.summary / booking.resend as the booking's receipt;
 * the api ignores a forged or foreign one.
 */
export function rememberBooking(cookies: Cookies, reservationId: string, secure: boolean): void {
  cookies.set(BOOKED_COOKIE_NAME, signBookedCookie(getConfig().sessionSecret, reservationId), {
    path: "/book",
    httpOnly: true,
    sameSite: "lax",
    secure,
    maxAge: BOOKED_COOKIE_MAX_AGE_SECONDS,
  });
}

/** The receipt of the booking this browser just made, if any (unchecked: the api checks it). */
export function bookingReceipt(cookies: Cookies): string | null {
  return cookies.get(BOOKED_COOKIE_NAME) || null;
}
