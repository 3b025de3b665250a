import type { PrismaClient } from "@sipario/db";
import { isUuid, personalDataAsText } from "@sipario/api";
import { Router } from "express";
import { requireAdmin } from "./auth.ts";
import type { Services } from "./services.ts";

/** Where a record's email is read from, per kind of record an access request can start at. */
const EMAIL_OF = {
  reservations: (prisma: PrismaClient, id: string) => prisma.reservation.findUnique({ where: { id }, select: { email: true } }),
  "waitlist-entries": (prisma: PrismaClient, id: string) => prisma.waitlistEntry.findUnique({ where: { id }, select: { email: true } }),
} as const;

/**
 * Access on request (GDPR art. 15): everything stored about the email of one reservation or
 * waiting-list entry, as JSON or as readable text, downloaded by an admin (the
 * "personalData" record action links here). The address never travels in a URL: the
 * record's id does. packages/api's exportPersonalData gathers it and audits the export.
 */
export function privacyRoutes(prisma: PrismaClient, services: Services): Router {
  const router = Router({ caseSensitive: true });
  for (const format of ["json", "txt"] as const) {
    router.get(`/privacy/:kind/:id/personal-data.${format}`, requireAdmin(), async (req, res, next) => {
      try {
        const kind = String(req.params.kind);
        const id = String(req.params.id);
        const row = kind in EMAIL_OF && isUuid(id) ? await EMAIL_OF[kind as keyof typeof EMAIL_OF](prisma, id) : null;
        if (!row?.email) {
          res.status(404).type("text/plain").send("No such record, or it has no email.");
          return;
        }
        const admin = req.session.adminUser!;
        const data = await services.personalData(row.email, { userId: admin.id, label: admin.email });
        res.set("Content-Disposition", `attachment; filename="personal-data.${format}"`);
        if (format === "json") res.type("application/json").send(`${JSON.stringify(data, null, 2)}\n`);
        else res.type("text/plain; charset=utf-8").send(personalDataAsText(data));
      } catch (error) {
        next(error);
      }
    });
  }
  return router;
}
