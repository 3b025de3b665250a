import "./admin/env.ts";
import AdminJSExpress from "@adminjs/express";
import { ForbiddenError, NotFoundError, ValidationError } from "adminjs";
import { randomUUID } from "node:crypto";
import { DomainError, getLogger, isDatabaseInputError, POSTER_LIMITS, posterFile, redactPath, type AppConfig } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import { ADMIN_ROOT, ADMIN_STYLES, clearStaleBundle, createAdmin } from "./admin/admin.ts";
import { createSessionMiddleware, makeAuthenticate, requireAdmin, revalidateAdmin, sameOriginOnly, SESSION_COOKIE } from "./admin/auth.ts";
import { POSTER_UPLOAD_PATH, readBody, readUpload, refuseHostileUrls } from "./admin/body.ts";
import { contentSecurityPolicy } from "./admin/csp.ts";
import { withoutThirdPartyFonts } from "./admin/no-third-party.ts";
import { privacyRoutes } from "./admin/privacy-routes.ts";
import { renderDoorList } from "./admin/door-list-page.ts";
import { makeServices } from "./admin/services.ts";
import { healthRoutes } from "./health.ts";

/**
 * AdminJS answers a HEAD on its API by running the action's GET handler with method
 * "head", and its delete action deletes on anything but "get". No action has a use for
 * HEAD: 405.
 */
function refuseHeadOnApi(): RequestHandler {
  return (req, res, next) => {
    if (req.method === "HEAD" && req.path.startsWith("/api/")) {
      res.status(405).set("Allow", "GET, POST").end();
      return;
    }
    next();
  };
}

/**
 * What an error thrown while answering means for the client. AdminJS throws its own
 * NotFoundError (an unknown record or resource in the URL), ForbiddenError (an action
 * the user may not run) and ValidationError: answers about the request, not failures.
 */
function statusOf(error: unknown): 400 | 403 | 404 | 429 | 500 {
  if (error instanceof DomainError && error.reason === "rate_limited") return 429;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof ValidationError) return 400;
  if (isDatabaseInputError(error)) return 400;
  return 500;
}

export type BackofficeApp = Express & {
  /** Stops the session store's pruning and its connections. */
  close(): Promise<void>;
  /** "postgres" or "memory": where admin sessions live. */
  sessionStore: "postgres" | "memory";
};

/**
 * The back-office as an Express app: AdminJS at /admin behind an admin-only login, the
 * CSV export, /healthz and /readyz. It does not listen and starts no timer of its own,
 * so `npm start` can run it next to the site in one process.
 */
export async function createBackofficeApp({ prisma, config }: { prisma: PrismaClient; config: AppConfig }): Promise<BackofficeApp> {
  const services = makeServices({ prisma, config });
  const admin = await createAdmin({ prisma, config, services });
  await clearStaleBundle();
  const sessions = createSessionMiddleware(config);

  const app = express() as BackofficeApp;
  app.disable("x-powered-by");
  // Before the first route: the app's router reads it when it is created.
  app.enable("case sensitive routing");
  // One structured line per request: id, method, path (no query: AdminJS puts search
  // terms there), status, duration. No headers, cookies or bodies.
  app.use((req, res, next) => {
    const started = performance.now();
    const incoming = req.get("x-request-id");
    const requestId = incoming && /^[A-Za-z0-9._-]{8,80}$/.test(incoming) ? incoming : randomUUID();
    res.set("x-request-id", requestId);
    res.on("finish", () => {
      getLogger().info(
        {
          requestId,
          method: req.method,
          path: redactPath(req.originalUrl.split("?")[0]!),
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
        "request",
      );
    });
    next();
  });
  app.use((_req, res, next) => {
    res.set({
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "same-origin",
    });
    next();
  });
  app.use(healthRoutes(prisma, config));
  app.get("/", (_req, res) => res.redirect(ADMIN_ROOT));

  // Everything AdminJS serves, and our own admin routes, live on this one router, mounted
  // case-sensitively: /ADMIN/login is a 404, not AdminJS without our session layer
  // (Express and the proxy otherwise match paths in any casing, and express-session skips
  // a path outside its cookie's, so AdminJS made an in-memory session of its own).
  const adminRouter = express.Router({ caseSensitive: true });
  adminRouter.use(refuseHostileUrls());
  adminRouter.use(sameOriginOnly(() => config.backofficeOrigin, { production: config.production }));
  adminRouter.use(refuseHeadOnApi());
  adminRouter.use(readBody({ acceptsJson: (path) => path.startsWith("/api/"), ownBody: (path) => POSTER_UPLOAD_PATH.test(path) }));
  adminRouter.use(sessions.middleware);
  adminRouter.use(revalidateAdmin(prisma));
  adminRouter.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  // Before withoutThirdPartyFonts: that rewrites the page, so it must run first (outermost).
  adminRouter.use(contentSecurityPolicy());
  adminRouter.use(withoutThirdPartyFonts());

  // The language the admin chose, else the browser's (Italian unless it asks for English first).
  const adminLanguage = (req: express.Request): "it" | "en" => req.session.adminUser?.adminLocale ?? (req.acceptsLanguages("it", "en") === "en" ? "en" : "it");

  // The box-office list of a performance, as CSV or as an Excel workbook, in the admin's language.
  const exportRoute =
    (
      extension: "csv" | "xlsx",
      contentType: string,
      write: (performanceId: string, res: express.Response, language: "it" | "en") => Promise<void>,
    ): RequestHandler =>
    async (req, res, next) => {
      try {
        const id = String(req.params.id);
        const name = await services.reservationsExportName(id);
        res.status(200).set({ "Content-Type": contentType, "Content-Disposition": `attachment; filename="reservations-${name}.${extension}"` });
        await write(id, res, adminLanguage(req));
        res.end();
      } catch (error) {
        if (error instanceof DomainError && error.reason === "not_found" && !res.headersSent) {
          res.status(404).type("text/plain").send("Performance not found.");
          return;
        }
        next(error);
      }
    };
  adminRouter.get(
    "/export/performances/:id/reservations.csv",
    requireAdmin(),
    exportRoute("csv", "text/csv; charset=utf-8", async (id, res, language) => {
      res.write("\uFEFF"); // lets spreadsheet programs read the accents as UTF-8
      for await (const line of services.reservationsCsv(id, language)) {
        if (!res.write(line)) await new Promise((resolve) => res.once("drain", resolve));
      }
    }),
  );
  adminRouter.get(
    "/export/performances/:id/reservations.xlsx",
    requireAdmin(),
    exportRoute("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (id, res, language) =>
      services.writeReservationsXlsx(id, res, language),
    ),
  );

  adminRouter.use(privacyRoutes(prisma, services));
  // The same list as one printable A4 page for the box office's table, in the admin's language.
  adminRouter.get("/export/performances/:id/door-list", requireAdmin(), async (req, res, next) => {
    try {
      const list = await services.doorList(String(req.params.id));
      res
        .status(200)
        .type("html")
        .send(renderDoorList(list, adminLanguage(req)));
    } catch (error) {
      if (error instanceof DomainError && error.reason === "not_found") {
        res.status(404).type("text/plain").send("Performance not found.");
        return;
      }
      next(error);
    }
  });

  // A show's poster: the image itself as the body (the only route past the 1 MB cap),
  // checked, resized and stored by packages/api's storePoster. JSON answers for the form's component.
  adminRouter.post("/upload/shows/:id/poster", requireAdmin(), readUpload(POSTER_LIMITS.maxBytes), async (req, res, next) => {
    try {
      const admin = req.session.adminUser!;
      const stored = await services.storePoster(String(req.params.id), req.body as Buffer, { userId: admin.id, label: admin.email });
      res.status(200).json(stored);
    } catch (error) {
      if (error instanceof DomainError && error.reason === "invalid_input") {
        res.status(422).json({ problem: error.details.problem, message: error.message });
        return;
      }
      if (error instanceof DomainError && error.reason === "not_found") {
        res.status(404).json({ problem: "not_found", message: error.message });
        return;
      }
      next(error);
    }
  });

  // The uploaded posters, for the form's preview (the site serves them to the public).
  adminRouter.get("/posters/:name", requireAdmin(), (req, res) => {
    const file = posterFile(config, String(req.params.name));
    if (!file) {
      res.status(404).type("text/plain").send("Not found.");
      return;
    }
    res.sendFile(file, { headers: { "Content-Type": "image/webp" } }, (error) => {
      if (error && !res.headersSent) res.status(404).type("text/plain").send("Not found.");
    });
  });

  // Our stylesheet (no secrets): served before sign-in, since the login page uses it.
  adminRouter.get("/sipario.css", (_req, res) => {
    res.type("text/css").send(ADMIN_STYLES);
  });

  // The top bar's language switch, stored on the user (the sidebar component posts here).
  adminRouter.post("/language", requireAdmin(), async (req, res, next) => {
    try {
      const admin = req.session.adminUser!;
      admin.adminLocale = await services.setAdminLocale(admin.id, (req as { fields?: Record<string, unknown> }).fields?.language);
      res.status(204).end();
    } catch (error) {
      if (error instanceof DomainError && error.reason === "invalid_input") {
        res.status(400).type("text/plain").send("Unknown language.");
        return;
      }
      next(error);
    }
  });

  AdminJSExpress.buildAuthenticatedRouter(
    admin,
    { authenticate: makeAuthenticate(services, config), cookieName: SESSION_COOKIE, cookiePassword: config.sessionSecret },
    adminRouter,
    // Our store and cookie: AdminJS's own session() finds req.session already set and
    // steps aside; were it ever to run, it would make the same session, never a fallback.
    sessions.options,
  );
  app.use(ADMIN_ROOT, adminRouter);
  app.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found.");
  });

  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = statusOf(error);
    if (status === 500) getLogger().error({ err: error, path: req.path }, "back-office request failed");
    if (res.headersSent) return res.end();
    const message = {
      400: "The request is not valid.",
      403: "Forbidden.",
      404: "Not found.",
      429: "Too many requests.",
      500: "Something went wrong. The error has been logged.",
    }[status];
    res.status(status).type("text/plain").send(message);
  };
  app.use(onError);

  app.close = () => sessions.close();
  app.sessionStore = sessions.kind;
  return app;
}
