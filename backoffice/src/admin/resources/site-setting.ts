import type { ActionRequest, ResourceWithOptions } from "adminjs";
import { modelResource, onlyIn, site, type ResourceDeps } from "./shared.ts";

export function siteSettingResource(deps: ResourceDeps): ResourceWithOptions {
  return {
    // The key is the row's id: typed when creating, fixed afterwards.
    resource: modelResource(deps, "SiteSetting", { editable: ["value"] }),
    options: {
      navigation: site,
      titleProperty: "key",
      listProperties: ["key", "value", "updatedAt"],
      editProperties: ["key", "value"],
      properties: {
        key: { isVisible: onlyIn("list", "show", "edit", "filter"), isRequired: true },
        value: { type: "textarea" },
      },
      actions: {
        bulkDelete: { isAccessible: false },
        // AdminJS addresses the row by the id in the submitted params: pin it to the URL's.
        edit: {
          before: async (request: ActionRequest) => {
            if (request.payload) request.payload.key = request.params.recordId;
            return request;
          },
        },
      },
    },
  };
}
