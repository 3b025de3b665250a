import type { ActionResponse, ResourceWithOptions } from "adminjs";
import { readOnlyActions } from "../actions.ts";
import { administration, modelResource, onlyIn, type ResourceDeps } from "./shared.ts";

export function auditLogResource(deps: ResourceDeps): ResourceWithOptions {
  const { prisma } = deps;
  return {
    resource: modelResource(deps, "AuditLog"),
    options: {
      navigation: administration,
      titleProperty: "action",
      listProperties: ["createdAt", "actorLabel", "action", "entity", "entityId"],
      filterProperties: ["action", "entity", "entityId", "user", "actorLabel", "createdAt"],
      showProperties: ["createdAt", "user", "actorLabel", "action", "entity", "entityId", "changesText"],
      sort: { sortBy: "createdAt", direction: "desc" },
      properties: {
        changesText: { type: "textarea", isVisible: onlyIn("show") },
      },
      actions: {
        ...readOnlyActions,
        // The JSON column arrives flattened ("changes.roomCapacity.from"); show it whole.
        show: {
          after: async (response: ActionResponse) => {
            const row = await prisma.auditLog.findUnique({ where: { id: String(response.record.id) }, select: { changes: true } });
            response.record.params.changesText = row?.changes ? JSON.stringify(row.changes, null, 2) : "";
            return response;
          },
        },
      },
    },
  };
}
