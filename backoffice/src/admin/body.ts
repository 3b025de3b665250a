import { createRequire } from "node:module";
import type { IncomingMessage } from "node:http";
import type { RequestHandler, Response } from "express";
import getRawBody from "raw-body";

/** The part of formidable 1.x (AdminJS's own form parser, via express-formidable) used here; it ships no types. */
interface IncomingForm {
  on(event: "progress", listener: (bytesReceived: number) => void): void;
  parse(req: IncomingMessage, callback: (error: Error | null, fields: Record<string, unknown>) => void): void;
  _error(error: Error): void;
}
const formidable = createRequire(import.meta.url)("formidable") as { IncomingForm: new () => IncomingForm };

/**
 * Forms and the admin API are small. The one upload (a show's poster, POSTER_UPLOAD_PATH)
 * reads its own body up to MAX_UPLOAD_BYTES; deploy/Caddyfile has the same two limits.
 */
export const MAX_BODY_BYTES = 1_000_000;
/** The poster upload's route: its body is the image itself, read by readUpload(). */
export const POSTER_UPLOAD_PATH = /^\/upload\/shows\/[^/]+\/poster$/;
const MAX_FIELDS = 500;

/**
 * A field, filter or sort name that is a member of every object ("constructor",
 * "__proto__", "toString"...): AdminJS looks names up in plain objects, where these
 * resolve to Object.prototype's functions (a TypeError, a 500) or reach the prototype.
 */
function isPrototypeName(name: string): boolean {
  return name.split(/\.|~~/).some((part) => part === "prototype" || part in Object.prototype);
}
/** Control characters a text field never needs (tab and line breaks are kept); PostgreSQL refuses NUL. */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** In a URL, no control character at all. */
const CONTROL_IN_URL = /[\u0000-\u001f\u007f]/;

type Kind = "form" | "multipart" | "json";

function kindOf(contentType: string | undefined): Kind | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") return "form";
  if (type === "multipart/form-data") return "multipart";
  if (type === "application/json") return "json";
  return null;
}

function refuse(res: Response, status: 400 | 413 | 415, message: string, closeConnection = false): void {
  if (res.headersSent) return;
  // After a refused flood the rest of the body is not read: Node closes the connection
  // once this answer is out instead of draining it.
  if (closeConnection) res.set("Connection", "close");
  res.status(status).type("text/plain").send(message);
}

/** A problem with the submitted fields, or null. */
function badField(fields: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(fields)) {
    if (isPrototypeName(key) || CONTROL_IN_URL.test(key)) return "A field name is not allowed.";
    if (value !== null && typeof value === "object") return "Nested values are not accepted.";
    if (typeof value === "string" && CONTROL_IN_TEXT.test(value)) return "A value contains a control character.";
  }
  return null;
}

/**
 * Reads the body of a back-office request before AdminJS does, so that no request is
 * buffered beyond MAX_BODY_BYTES, whatever its framing: bytes are counted as they arrive
 * (a chunked body has no Content-Length to check), and the connection is closed at the
 * first byte over the limit. Only URL-encoded and multipart forms, and JSON where
 * `acceptsJson` says so (the admin API: AdminJS's own screens post JSON there; never the
 * login form); anything else is 415. File parts are dropped unread (no resource takes
 * files). Malformed bodies, nested or prototype-reaching field names and control
 * characters answer 400, never reach AdminJS, and never become a 500.
 *
 * The parsed fields are handed to AdminJS the way express-formidable does it
 * (`req.fields`, marked parsed), so AdminJS's own parser steps aside.
 */
export function readBody(options: { acceptsJson: (path: string) => boolean; ownBody?: (path: string) => boolean }): RequestHandler {
  return (req, res, next) => {
    if (req.method === "POST" && options.ownBody?.(req.path)) return next();
    const parsed = (fields: Record<string, unknown>) => {
      Object.assign(req, { fields, files: {}, express_formidable: { parsed: true } });
      next();
    };
    const declared = req.headers["content-length"];
    const hasBody = req.headers["transfer-encoding"] !== undefined || (declared !== undefined && declared !== "0");
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS" || !hasBody) return parsed({});
    if (Number(declared ?? 0) > MAX_BODY_BYTES) return refuse(res, 413, "Request too large.", true);
    const kind = kindOf(req.headers["content-type"]);
    if (!kind || (kind === "json" && !options.acceptsJson(req.path))) {
      return refuse(res, 415, "Send this as a form.", true);
    }

    if (kind === "json") {
      getRawBody(req, { limit: MAX_BODY_BYTES, length: declared, encoding: "utf8" }, (error, text) => {
        if (error) {
          const status = (error as { type?: string }).type === "entity.too.large" ? 413 : 400;
          return refuse(res, status, status === 413 ? "Request too large." : "The request could not be read.", true);
        }
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return refuse(res, 400, "The request is not valid JSON.");
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) return refuse(res, 400, "Send an object of fields.");
        const fields = value as Record<string, unknown>;
        const problem = badField(fields);
        if (problem) return refuse(res, 400, problem);
        parsed(fields);
      });
      return;
    }

    const form = new formidable.IncomingForm();
    Object.assign(form, {
      maxFields: MAX_FIELDS,
      maxFieldsSize: MAX_BODY_BYTES,
      // formidable 1.x writes file parts to the temp folder, where nothing would clean them up.
      onPart(this: { handlePart(part: unknown): void }, part: { filename?: string; resume?: () => void }) {
        if (part.filename === undefined) this.handlePart(part);
        else part.resume?.();
      },
    });
    const tooLarge = new Error("request body over the limit");
    let settled = false;
    const settle = (answer: () => void) => {
      if (settled) return;
      settled = true;
      answer();
    };
    form.on("progress", (received: number) => {
      if (received <= MAX_BODY_BYTES || settled) return;
      req.pause();
      form._error(tooLarge);
    });
    form.parse(req, (error, fields) => {
      settle(() => {
        if (error === tooLarge || /maxFieldsSize|maxFields/.test(String(error?.message))) return refuse(res, 413, "Request too large.", true);
        if (error) return refuse(res, 400, "The request could not be read.", true);
        const problem = badField(fields);
        if (problem) return refuse(res, 400, problem);
        parsed(fields);
      });
    });
  };
}

/**
 * 400 for a URL whose path or query carries a control character (NUL reached
 * PostgreSQL as error 22021, a 500) or does not decode, and for query names or a sortBy
 * that name an Object.prototype member (`sortBy=constructor` was a 500).
 */
export function refuseHostileUrls(): RequestHandler {
  return (req, res, next) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(req.originalUrl.replace(/\+/g, " "));
    } catch {
      return refuse(res, 400, "The address is not valid.");
    }
    if (CONTROL_IN_URL.test(decoded)) return refuse(res, 400, "The address contains a control character.");
    const query = new URLSearchParams(req.originalUrl.split("?")[1] ?? "");
    for (const [name, value] of query) {
      if (isPrototypeName(name) || (name === "sortBy" && isPrototypeName(value))) return refuse(res, 400, "The address is not valid.");
    }
    next();
  };
}

/**
 * The body of an upload route: the file's bytes as sent (`Content-Type: application/octet-stream`
 * or an image type; what it really is, the route finds out from the bytes), at most
 * `limit` bytes, counted as they arrive; 413 past it, 415 for a form or JSON.
 */
export function readUpload(limit: number): RequestHandler {
  return (req, res, next) => {
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/octet-stream" && !type.startsWith("image/")) return refuse(res, 415, "Send the file itself.", true);
    const declared = req.headers["content-length"];
    if (Number(declared ?? 0) > limit) return refuse(res, 413, "File too large.", true);
    getRawBody(req, { limit, length: declared }, (error, body) => {
      if (error) {
        const status = (error as { type?: string }).type === "entity.too.large" ? 413 : 400;
        return refuse(res, status, status === 413 ? "File too large." : "The request could not be read.", true);
      }
      Object.assign(req, { body });
      next();
    });
  };
}
