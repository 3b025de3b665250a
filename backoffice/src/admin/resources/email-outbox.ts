import type { ResourceWithOptions } from "adminjs";
import { readOnlyActions } from "../actions.ts";
import { administration, askFirst, badge, modelResource, type ResourceDeps } from "./shared.ts";

export function emailOutboxResource(deps: ResourceDeps): ResourceWithOptions {
  const { services } = deps;
  return {
    resource: modelResource(deps, "EmailOutbox", {}, ["payload"]),
    options: {
      navigation: administration,
      titleProperty: "subject",
      listProperties: ["kind", "toAddress", "subject", "status", "attempts", "nextAttemptAt", "sentAt", "createdAt"],
      filterProperties: ["status", "kind", "toAddress", "reservation", "createdAt"],
      showProperties: ["kind", "toAddress", "subject", "status", "attempts", "nextAttemptAt", "lastError", "sentAt", "reservation", "createdAt", "updatedAt"],
      sort: { sortBy: "createdAt", direction: "desc" },
      properties: { status: badge(deps) },
      actions: {
        ...readOnlyActions,
        retry: askFirst(deps, {
          label: "Retry sending",
          icon: "RefreshCw",
          description: "retryDescription",
          when: (p) => p.status === "failed",
          run: services.retryEmail,
          done: "retryDone",
        }),
      },
    },
  };
}
