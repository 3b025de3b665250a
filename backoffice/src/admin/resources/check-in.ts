import type { ResourceWithOptions } from "adminjs";
import { readOnlyActions } from "../actions.ts";
import { bookings, modelResource, type ResourceDeps } from "./shared.ts";

export function checkInResource(deps: ResourceDeps): ResourceWithOptions {
  return {
    resource: modelResource(deps, "CheckIn"),
    options: {
      navigation: bookings,
      listProperties: ["reservation", "checkedInAt", "checkedInBy", "source", "createdAt"],
      filterProperties: ["source", "checkedInBy", "checkedInAt", "createdAt"],
      sort: { sortBy: "checkedInAt", direction: "desc" },
      actions: readOnlyActions,
    },
  };
}
