import { createHmac, timingSafeEqual } from "node:crypto";
import { isUuid } from "../lib/ids.ts";

/**
 * After booking, the "check your email" page (/book/sent) needs to know which reservation
 * this browser just made. The id rides in an httpOnly cookie scoped to /book, signed with
 * an HMAC-SHA256 under SESSION_SECRET and carrying its own expiry: the page used to trust
 * an unsigned id, and with another visitor's id it showed their email and re-sent their
 * confirmation (issue 13, finding 11).
 */
export const BOOKED_COOKIE_NAME = "sipario_booked";
export const BOOKED_COOKIE_MAX_AGE_SECONDS = 6 * 3600;

function mac(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(`booked:${payload}`).digest("base64url");
}

/** `<reservationId>.<expires, unix seconds>.<HMAC>` for the cookie. */
export function signBookedCookie(secret: string, reservationId: string, now = new Date()): string {
  const payload = `${reservationId}.${Math.floor(now.getTime() / 1000) + BOOKED_COOKIE_MAX_AGE_SECONDS}`;
  return `${payload}.${mac(secret, payload)}`;
}

/** The reservation id of a cookie this server signed and that has not expired; otherwise null. */
export function readBookedCookie(secret: string, value: string | undefined, now = new Date()): string | null {
  const parts = value?.split(".");
  if (!parts || parts.length !== 3) return null;
  const [id, expires, signature] = parts as [string, string, string];
  const expected = Buffer.from(mac(secret, `${id}.${expires}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (!/^\d{1,12}$/.test(expires) || Number(expires) * 1000 <= now.getTime()) return null;
  return isUuid(id) ? id : null;
}
