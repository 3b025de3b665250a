import { createHash } from "node:crypto";
import type { RequestHandler } from "express";

/**
 * The back-office's Content-Security-Policy (issue 13, finding 17: /admin had none).
 * - Scripts: our own files only, plus the exact inline scripts of each AdminJS page (its
 *   state and bootstrap, different on every page), allowed by their SHA-256 hashes,
 *   computed from the page as sent. No 'unsafe-inline', no eval.
 * - Styles: 'unsafe-inline' is needed, and only there: AdminJS's design system
 *   (styled-components) writes <style> elements at run time and components set style
 *   attributes. An injected style cannot run code.
 * - Nothing from another origin (the fonts are the system's own), no plugins, no framing,
 *   forms post only to the back-office.
 */
const BASE_POLICY = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

const INLINE_SCRIPT = /<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi;

/** The policy for a response body: the inline scripts of an HTML page by hash, no others. */
export function policyFor(body: string | null): string {
  const hashes: string[] = [];
  if (body) {
    for (const match of body.matchAll(INLINE_SCRIPT)) {
      if (/\ssrc\s*=/i.test(match[1] ?? "")) continue;
      hashes.push(
        `'sha256-${createHash("sha256")
          .update(match[2] ?? "", "utf8")
          .digest("base64")}'`,
      );
    }
  }
  return [...BASE_POLICY, `script-src 'self' ${hashes.join(" ")}`.trim()].join("; ");
}

/**
 * Sets the policy on every response under /admin; for an HTML page sent as a string
 * (every AdminJS page), with the hashes of that page's inline scripts. Mount it before
 * any middleware that rewrites the HTML, so the hashes are of the page as it leaves.
 */
export function contentSecurityPolicy(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader("Content-Security-Policy", policyFor(null));
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (typeof body === "string" && /<script/i.test(body)) res.setHeader("Content-Security-Policy", policyFor(body));
      return send(body);
    };
    next();
  };
}
