import { DomainError } from "@sipario/api";
import type { ResourceWithOptions } from "adminjs";
import { readOnlyActions } from "../actions.ts";
import { askFirst, bookings, modelResource, text, type ResourceDeps } from "./shared.ts";

export function checkInResource(deps: ResourceDeps): ResourceWithOptions {
  const { prisma, services } = deps;
  return {
    resource: modelResource(deps, "CheckIn"),
    options: {
      navigation: bookings,
      listProperties: ["reservation", "checkedInAt", "checkedInBy", "source", "createdAt"],
      filterProperties: ["source", "checkedInBy", "checkedInAt", "createdAt"],
      sort: { sortBy: "checkedInAt", direction: "desc" },
      actions: {
        ...readOnlyActions,
        // The same rule as the scanner's undo (checkin/undo.service); the record goes away.
        undoCheckIn: askFirst(deps, {
          label: "Undo check-in",
          icon: "RotateCcw",
          description: "undoCheckInDescription",
          fields: [{ name: "reason", label: "undoReasonField", type: "textarea", required: true }],
          run: async (id, actor, _context, payload) => {
            if (!text(payload.reason)?.trim()) throw new DomainError("invalid_input", "Say why the check-in is undone.", { field: "reason" });
            const checkIn = await prisma.checkIn.findUnique({ where: { id }, select: { reservationId: true } });
            if (!checkIn) throw new DomainError("not_found", "This party is not checked in.");
            const admin = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { id: true, email: true, name: true, role: true } });
            return services.undoCheckIn(checkIn.reservationId, admin, text(payload.reason));
          },
          after: "list",
          done: "undoCheckInDone",
        }),
      },
    },
  };
}
