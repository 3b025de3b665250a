import type { RequestHandler } from "express";

/**
 * AdminJS's page templates (adminjs/lib/frontend/layout-template.js and
 * login-template.js) hard-code a stylesheet from fonts.googleapis.com, with no option to
 * leave it out. Loading it tells Google the admin's address each time they open the
 * back-office (GDPR: a transfer we have no basis for), so it is cut from every page we
 * send; the theme uses the system's fonts instead (SYSTEM_FONTS in admin.ts).
 */
const THIRD_PARTY_STYLESHEET = /<link\b[^>]*\bhref="https:\/\/fonts\.googleapis\.com\/[^"]*"[^>]*>/g;

export function withoutThirdPartyFonts(): RequestHandler {
  return (_req, res, next) => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => send(typeof body === "string" ? body.replace(THIRD_PARTY_STYLESHEET, "") : body);
    next();
  };
}

/** The system's own interface font on each platform: nothing to download. */
export const SYSTEM_FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
