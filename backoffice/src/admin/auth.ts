import { createHash } from "node:crypto";
import {
  ADMIN_DEVICE_COOKIE_NAME,
  clientAddress,
  DomainError,
  getLogger,
  UNKNOWN_ADDRESS,
  type AddressSettings,
  type AdminLocale,
  type AppConfig,
} from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import connectPgSimple from "connect-pg-simple";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import session from "express-session";
import pg from "pg";
import type { Services } from "./services.ts";

export const SESSION_COOKIE = "sipario_admin";

/** What AdminJS keeps in the session: no password hash, nothing secret. */
export interface AdminSessionUser {
  id: string;
  email: string;
  name: string;
  role: "admin";
  title: string;
  /**
   * A fingerprint of the password hash and the user's sessionVersion at sign-in (not the
   * hash): a new password or role (packages/api credentials.service.ts) ends the session.
   */
  credential: string;
  /** The back-office language the user chose (null: the browser's); re-read on every request. */
  adminLocale?: AdminLocale | null;
}

/** Short SHA-256 of the stored hash and session version: changes with either, reveals nothing usable. */
export function credentialFingerprint(user: { passwordHash: string; sessionVersion: number }): string {
  return createHash("sha256").update(`${user.sessionVersion}:${user.passwordHash}`).digest("hex").slice(0, 16);
}

declare module "express-session" {
  interface SessionData {
    adminUser?: AdminSessionUser;
    redirectTo?: string;
  }
}

/** The only methods that never change anything: HEAD is not one (AdminJS ran `delete` on a HEAD). */
const SAFE = new Set(["GET", "OPTIONS"]);

/**
 * CSRF defence: any request but GET and OPTIONS is accepted only from a page of the
 * back-office itself. Browsers send Origin on every POST and on every cross-origin
 * request; Referer is the fallback for old ones. Neither, or another origin: 403.
 * `origin()` is read per request (tests learn the port late).
 * Outside production the address the browser used (its Host) also counts, so
 * http://localhost:3001 works as well as http://127.0.0.1:3001; a cross-site page still
 * sends its own Origin, which matches neither.
 */
export function sameOriginOnly(origin: () => string, options: { production: boolean }): RequestHandler {
  return (req, res, next) => {
    if (SAFE.has(req.method)) return next();
    const sent = req.get("origin") ?? refererOrigin(req.get("referer"));
    const allowed = [origin()];
    if (!options.production && req.get("host")) allowed.push(`http://${req.get("host")}`);
    if (sent && allowed.includes(sent)) return next();
    getLogger().warn({ event: "cross_origin_post", path: req.path }, "back-office refused a cross-origin request");
    res.status(403).type("text/plain").send("Forbidden: requests must come from the back-office itself.");
  };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

export interface SessionSetup {
  middleware: RequestHandler;
  /** The same options and store, for AdminJS's own session() call: it can never make a second kind of session. */
  options: session.SessionOptions & { store: session.Store };
  close(): Promise<void>;
  kind: "postgres" | "memory";
}

/**
 * Back-office sessions: in PostgreSQL (connect-pg-simple, table "backoffice_session",
 * created on first use) when DATABASE_URL names one; the embedded PGlite cannot be
 * reached by a second client, so there (development, `npm start` without a server) the
 * memory store is used: a restart signs admins out, nothing else is lost.
 */
export function createSessionMiddleware(config: AppConfig): SessionSetup {
  let store: session.Store = new session.MemoryStore();
  let pool: pg.Pool | undefined;
  if (config.DATABASE_URL) {
    const PgStore = connectPgSimple(session);
    pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 3, idleTimeoutMillis: 30_000 });
    pool.on("error", (error) => getLogger().warn({ err: error }, "session store connection error"));
    store = new PgStore({ pool, tableName: "backoffice_session", createTableIfMissing: true, pruneSessionInterval: 15 * 60 });
  }
  const options = {
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    // Behind a TLS-terminating proxy the connection is plain HTTP: trust its
    // X-Forwarded-Proto for the Secure cookie only.
    proxy: config.production ? true : undefined,
    cookie: {
      httpOnly: true,
      sameSite: "lax",
      secure: config.production,
      path: "/admin",
      maxAge: 8 * 3_600_000,
    },
  } satisfies session.SessionOptions;
  return {
    middleware: session(options),
    options,
    kind: pool ? "postgres" : "memory",
    async close() {
      if ("close" in store) await (store as unknown as { close(): Promise<void> }).close();
      await pool?.end().catch(() => {});
    },
  };
}

/** The visitor's address of an Express request: packages/api's one reading of ADDRESS_HEADER / XFF_DEPTH. */
export function requestAddress(req: Request, settings: AddressSettings): string {
  return clientAddress({ header: (name) => req.get(name), socketAddress: () => req.socket.remoteAddress }, settings);
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
}

/**
 * AdminJS's `authenticate`: only User rows with role admin, argon2-verified and rate
 * limited by packages/api's authenticateUser. A wrong password, an unknown email and a
 * staff account all get AdminJS's one "invalid credentials" answer; too many attempts
 * get a message saying so. The session id is renewed on success (no fixation).
 */
export function makeAuthenticate(services: Services, settings: AddressSettings) {
  return async (email: unknown, password: unknown, context?: { req: Request; res: Response }): Promise<AdminSessionUser | null> => {
    if (typeof email !== "string" || typeof password !== "string" || !email || !password || email.length > 254 || password.length > 200) {
      return null;
    }
    const req = context?.req;
    // The visitor's address as the site reads it (ADDRESS_HEADER / XFF_DEPTH): behind
    // the proxy the socket's address is the proxy's, shared by every admin.
    const address = req ? requestAddress(req, settings) : UNKNOWN_ADDRESS;
    try {
      const user = await services.authenticate(email, password, address, req ? deviceCookieOf(req) : null);
      const credential = await services.credentialOf(user.id);
      if (req) await regenerate(req);
      // The api's device cookie (finding 4 of issue 13): this browser is exempt from the
      // account-wide lock that strangers' failures can trigger.
      context?.res.cookie(ADMIN_DEVICE_COOKIE_NAME, services.issueDeviceCookie(user.email), {
        ...services.deviceCookieOptions(),
        maxAge: services.deviceCookieOptions().maxAge! * 1000, // Express counts milliseconds
      });
      return {
        id: user.id,
        email: user.email,
        name: user.name,
        role: "admin",
        title: user.name || user.email,
        credential: credentialFingerprint(credential),
      };
    } catch (error) {
      if (error instanceof DomainError) {
        if (error.reason === "rate_limited") throw new Error("Too many sign-in attempts. Please wait a few minutes and try again.");
        if (error.reason === "invalid_credentials" || error.reason === "forbidden" || error.reason === "invalid_input") return null;
      }
      throw error;
    }
  };
}

/** The back-office device cookie sent with a request (no cookie parser is mounted). */
function deviceCookieOf(req: Request): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === ADMIN_DEVICE_COOKIE_NAME) return value.join("=");
  }
  return null;
}

/**
 * Re-reads the signed-in admin on every request: a user demoted to staff, deleted, or
 * whose password or role changed since sign-in (sessionVersion, bumped by packages/api's
 * credentials.service.ts: a stolen session ends with a new password) loses the
 * back-office at once, not when the cookie expires.
 */
export function revalidateAdmin(prisma: PrismaClient): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const admin = req.session?.adminUser;
    if (!admin) return next();
    try {
      const user = await prisma.user.findUnique({
        where: { id: admin.id },
        select: { role: true, email: true, name: true, passwordHash: true, sessionVersion: true, adminLocale: true },
      });
      if (!user || user.role !== "admin" || credentialFingerprint(user) !== admin.credential) {
        delete req.session.adminUser;
      } else {
        admin.email = user.email;
        admin.name = user.name;
        admin.adminLocale = user.adminLocale === "it" || user.adminLocale === "en" ? user.adminLocale : null;
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** For routes outside AdminJS (CSV export): 401 without an admin session. */
export function requireAdmin(): RequestHandler {
  return (req, res, next) => {
    if (req.session?.adminUser) return next();
    res.status(401).type("text/plain").send("Sign in to the back-office first.");
  };
}
