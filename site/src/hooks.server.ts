import { randomUUID } from "node:crypto";
import { getLogger, redactPath, SESSION_COOKIE_NAME } from "@sipario/api";
import { startProcessJobs, stopProcessJobs } from "@sipario/api/server";
import { sequence } from "@sveltejs/kit/hooks";
import type { Handle, HandleServerError, ServerInit } from "@sveltejs/kit/hooks";
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage } from "$lib/i18n";
import { isShareablePublicRequest, sharedPublicResponse } from "$lib/server/page-cache";
import { resolveSession } from "$lib/server/trpc";

/**
 * Token pages must not leak their URL (which is the credential) in a Referer to another
 * site. "same-origin", not "no-referrer": under no-referrer browsers send `Origin: null`
 * with a form POST, and SvelteKit's CSRF check then refuses the no-JavaScript Confirm
 * and Cancel buttons. Same-origin requests only ever reach this server.
 */
const TOKEN_PAGE = /^\/(confirm|tickets|waitlist)\//;
/** Pages that show a visitor's own booking: never stored by a browser or a proxy. */
const PRIVATE_PAGE = /^\/book\/sent\/?$/;
/** The only page that needs the camera: the door scanner. */
const CAMERA_PAGE = /^\/staff\/scan\/?$/;
const REQUEST_ID = /^[A-Za-z0-9._-]{8,80}$/;

export const init: ServerInit = async () => {
  const g = globalThis as typeof globalThis & { __siparioShutdownHook?: true };
  // adapter-node emits this after closing the server on SIGTERM/SIGINT but does not exit:
  // let the outbox finish the message it is sending, then close the pool so the process
  // ends (docker stop, rolling deploys). Not emitted under `npm start`'s launcher, which
  // closes everything itself.
  if (!g.__siparioShutdownHook) {
    g.__siparioShutdownHook = true;
    (process as NodeJS.EventEmitter).once("sveltekit:shutdown", () => void stopProcessJobs());
  }
  // Opens the database; starts the background jobs once per process when BACKGROUND_JOBS is on.
  await startProcessJobs();
};

/**
 * One line per request, with its id (the caller's x-request-id when well-formed, echoed
 * back). The path goes through redactPath (tokens live in URLs); no query string, headers,
 * cookies or bodies are logged.
 */
const requestLog: Handle = async ({ event, resolve }) => {
  const started = performance.now();
  const incoming = event.request.headers.get("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  event.locals.requestId = requestId;
  const response = await resolve(event);
  response.headers.set("x-request-id", requestId);
  getLogger().info(
    {
      requestId,
      method: event.request.method,
      route: event.route.id,
      path: redactPath(event.url.pathname),
      status: response.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    },
    "request",
  );
  return response;
};

/** Headers every answer carries (pages, JSON, .ics, errors), shared pages included. */
const securityHeaders: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  const headers = response.headers;
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", TOKEN_PAGE.test(event.url.pathname) ? "same-origin" : "strict-origin-when-cross-origin");
  headers.set("Permissions-Policy", `camera=${CAMERA_PAGE.test(event.url.pathname) ? "(self)" : "()"}, microphone=(), geolocation=(), payment=()`);
  headers.set("X-Frame-Options", "DENY");
  // Pages get kit's full CSP; everything else (JSON, .ics, errors) still refuses framing.
  if (!headers.has("content-security-policy")) {
    headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'");
  }
  return response;
};

/** The visitor's language: their choice (cookie), else the browser's; written into <html lang>. */
const locale: Handle = ({ event, resolve }) => {
  const cookieLocale = event.cookies.get(LOCALE_COOKIE);
  event.locals.locale = isLocale(cookieLocale) ? cookieLocale : localeFromAcceptLanguage(event.request.headers.get("accept-language"));
  return resolve(event, { transformPageChunk: ({ html }) => html.replace("%lang%", event.locals.locale) });
};

/** The signed-in staff member, if any (the tRPC context's user and sessionId). */
const session: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  event.locals.sessionId = null;
  // Health endpoints must answer even when the database is down.
  if (!event.url.pathname.startsWith("/healthz") && !event.url.pathname.startsWith("/readyz")) {
    const { user, sessionId } = await resolveSession(event);
    event.locals.user = user;
    event.locals.sessionId = sessionId;
  }
  return resolve(event);
};

/** Token pages, a visitor's own booking and anything a signed-in user sees are never stored. */
const privateCaching: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  if (TOKEN_PAGE.test(event.url.pathname) || PRIVATE_PAGE.test(event.url.pathname) || event.locals.user) {
    response.headers.set("Cache-Control", "private, no-store");
  }
  return response;
};

/** Anonymous public pages rendered once and shared for a moment (lib/server/page-cache.ts). */
const sharedPages: Handle = ({ event, resolve }) =>
  isShareablePublicRequest(event, SESSION_COOKIE_NAME) ? sharedPublicResponse(event, () => resolve(event)) : resolve(event);

export const handle: Handle = sequence(requestLog, securityHeaders, locale, session, privateCaching, sharedPages);

export const handleError: HandleServerError = (caught) => {
  const requestId = caught.event.locals.requestId;
  // App errors (error(404, ...)) and SvelteKit's own (an unknown route) keep their status
  // and message. A bug is logged with the request's id and shown as a generic message.
  if (caught.kind !== "unknown") return { requestId };
  getLogger().error({ err: caught.error, path: redactPath(caught.event.url.pathname), method: caught.event.request.method, requestId }, "request failed");
  return { message: "Internal error", requestId };
};
