import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { CookieOptions } from "../lib/request.ts";

/**
 * Device cookies, as OWASP's "Slow Down Online Guessing Attacks with Device Cookies"
 * describes them: a browser that once signed in to an account gets a cookie naming that
 * account and a random nonce, signed with SESSION_SECRET. Sign-in attempts that carry a
 * valid one for the account being tried are counted against that device alone, not
 * against the account as a whole, so strangers guessing a (public) box-office address
 * cannot lock the staff's own phones out before a show. The cookie is not a credential:
 * it never signs anyone in, it only chooses which failure counter applies.
 */
export const DEVICE_COOKIE_NAME = "sipario_device";
/** The back-office's own (its cookies live under /admin). */
export const ADMIN_DEVICE_COOKIE_NAME = "sipario_admin_device";
export const DEVICE_COOKIE_DAYS = 180;

const SHAPE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

function mac(secret: string, email: string, nonce: string): string {
  return createHmac("sha256", secret).update(`device-cookie\n${email.trim().toLowerCase()}\n${nonce}`).digest("base64url");
}

/** A new device cookie value for `email`: `<nonce>.<hmac>`. The email itself is not in it. */
export function issueDeviceCookie(email: string, secret: string): string {
  const nonce = randomBytes(16).toString("base64url");
  return `${nonce}.${mac(secret, email, nonce)}`;
}

/** The cookie's nonce when it was issued by us for `email`; null for anything else. */
export function verifyDeviceCookie(value: string | null | undefined, email: string, secret: string): string | null {
  if (!value || !SHAPE.test(value)) return null;
  const [nonce, signature] = value.split(".") as [string, string];
  const expected = Buffer.from(mac(secret, email, nonce));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : null;
}

/** httpOnly, lax, secure in production, long-lived; `path` "/" on the site, "/admin" in the back-office. */
export function deviceCookieOptions(config: { production: boolean }, path = "/"): CookieOptions {
  return { path, httpOnly: true, sameSite: "lax", secure: config.production, maxAge: DEVICE_COOKIE_DAYS * 86_400 };
}
