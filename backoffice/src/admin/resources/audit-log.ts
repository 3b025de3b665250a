import type { ActionResponse, RecordJSON, ResourceWithOptions } from "adminjs";
import { readOnlyActions } from "../actions.ts";
import { auditSentences } from "../audit-words.ts";
import { administration, modelResource, onlyIn, type ResourceDeps } from "./shared.ts";

export function auditLogResource(deps: ResourceDeps): ResourceWithOptions {
  const { prisma, config, components } = deps;
  // Each entry in words, both languages (the page shows the admin's); the show page also gets the raw JSON.
  const inWords = (withJson: boolean) => async (response: ActionResponse) => {
    const records: RecordJSON[] = response.records ?? (response.record ? [response.record] : []);
    const rows = await prisma.auditLog.findMany({ where: { id: { in: records.map((r) => String(r.id)) } } });
    const sentences = await auditSentences(prisma, rows, config.TIME_ZONE);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const record of records) {
      const s = sentences.get(String(record.id));
      Object.assign(record.params, { summaryIt: s?.it ?? "", summaryEn: s?.en ?? "" });
      // The JSON column arrives flattened ("changes.roomCapacity.from"); show it whole.
      if (withJson) record.params.changesText = JSON.stringify(byId.get(String(record.id))?.changes ?? {}, null, 2);
    }
    return response;
  };
  return {
    resource: modelResource(deps, "AuditLog"),
    options: {
      navigation: administration,
      titleProperty: "action",
      listProperties: ["createdAt", "summary"],
      filterProperties: ["action", "entity", "entityId", "user", "actorLabel", "createdAt"],
      showProperties: ["createdAt", "summary", "user", "actorLabel", "action", "entity", "entityId"],
      sort: { sortBy: "createdAt", direction: "desc" },
      properties: {
        summary: {
          type: "string",
          isSortable: false,
          isVisible: onlyIn("list", "show"),
          components: { list: components.AuditEntry, show: components.AuditEntry },
        },
      },
      actions: {
        ...readOnlyActions,
        list: { after: inWords(false) },
        show: { after: inWords(true) },
      },
    },
  };
}
