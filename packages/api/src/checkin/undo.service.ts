import type { PrismaClient } from "@sipario/db";
import { z } from "zod";
import { recordAudit } from "../audit/audit.service.ts";
import { DomainError } from "../errors.ts";
import { getLogger } from "../logger.ts";
import type { SessionUser } from "../lib/request.ts";
import { staffLabel } from "./checkin.service.ts";

/** How long the staff member who let a party in may take it back (a tap on the wrong ticket). */
export const UNDO_WINDOW_MS = 5 * 60_000;

/** Why an admin took a check-in back (the back-office asks; the audit row keeps it). */
const undoReasonSchema = z
  .string()
  .trim()
  .max(500, "Keep the reason under 500 characters.")
  .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, "Invalid characters")
  .optional()
  .transform((v) => v || undefined);

export interface UndoneCheckIn {
  reservationId: string;
  checkedInAt: string;
  checkedInBy: string;
}

/**
 * Takes back a check-in made by mistake. The rule, in one place for the scanner and the
 * back-office: the staff member who recorded it may undo it within UNDO_WINDOW_MS of
 * recording it; after that (or someone else's), only an admin. One conditional DELETE
 * decides (no read-then-delete); it also touches the reservation so door manifests pick
 * the change up in their next delta. Audited. Throws not_found (not checked in),
 * undo_not_allowed (checkedInAt, checkedInBy, undoableUntil when it was the caller's).
 * The back-office asks an admin why (`reason`, kept in the audit row).
 */
export async function undoCheckIn(prisma: PrismaClient, reservationId: string, actor: SessionUser, options: { reason?: string } = {}): Promise<UndoneCheckIn> {
  const reason = undoReasonSchema.safeParse(options.reason);
  if (!reason.success) throw new DomainError("invalid_input", reason.error.issues[0]?.message ?? "Invalid reason.", { field: "reason" });
  const isAdmin = actor.role === "admin";
  const windowSeconds = UNDO_WINDOW_MS / 1000;
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ checkedInAt: Date; checkedInById: string; byName: string; byEmail: string; source: string }[]>`
      WITH gone AS (
        DELETE FROM "CheckIn" c
        WHERE c."reservationId" = ${reservationId}::uuid
          AND (${isAdmin} OR (c."checkedInById" = ${actor.id}::uuid AND c."updatedAt" > now() - make_interval(secs => ${windowSeconds})))
        RETURNING c."reservationId", c."checkedInAt", c."checkedInById", c."source"
      ), touched AS (
        UPDATE "Reservation" r SET "updatedAt" = now() FROM gone WHERE r."id" = gone."reservationId" RETURNING r."id"
      )
      SELECT gone."checkedInAt", gone."checkedInById"::text AS "checkedInById", u."name" AS "byName", u."email" AS "byEmail", gone."source"::text AS "source"
      FROM gone JOIN "User" u ON u."id" = gone."checkedInById"`;
    const undone = rows[0];
    if (!undone) {
      const [existing] = await tx.$queryRaw<{ checkedInAt: Date; checkedInById: string; updatedAt: Date; name: string; email: string }[]>`
        SELECT c."checkedInAt", c."checkedInById"::text AS "checkedInById", c."updatedAt", u."name", u."email"
        FROM "CheckIn" c JOIN "User" u ON u."id" = c."checkedInById" WHERE c."reservationId" = ${reservationId}::uuid`;
      if (!existing) throw new DomainError("not_found", "This party is not checked in.");
      throw new DomainError("undo_not_allowed", "Only an admin can undo this check-in now.", {
        checkedInAt: existing.checkedInAt.toISOString(),
        checkedInBy: staffLabel(existing),
        ...(existing.checkedInById === actor.id ? { undoableUntil: new Date(existing.updatedAt.getTime() + UNDO_WINDOW_MS).toISOString() } : {}),
      });
    }
    const checkedInBy = staffLabel({ name: undone.byName, email: undone.byEmail });
    await recordAudit(tx, {
      userId: actor.id,
      actorLabel: actor.email,
      action: "checkin.undo",
      entity: "Reservation",
      entityId: reservationId,
      changes: { checkedInAt: undone.checkedInAt, checkedInBy, source: undone.source, ...(reason.data ? { reason: reason.data } : {}) },
    });
    getLogger().info({ event: "check_in_undone", reservationId, userId: actor.id }, "check-in undone");
    return { reservationId, checkedInAt: undone.checkedInAt.toISOString(), checkedInBy };
  });
}
