import type { ResourceWithOptions } from "adminjs";
import { readOnlyActions } from "../actions.ts";
import { bookings, modelResource, type ResourceDeps } from "./shared.ts";

export function reservationTokenResource(deps: ResourceDeps): ResourceWithOptions {
  return {
    resource: modelResource(deps, "ReservationToken"),
    options: {
      navigation: bookings,
      listProperties: ["reservation", "purpose", "expiresAt", "usedAt", "createdAt"],
      filterProperties: ["purpose", "reservation", "expiresAt", "usedAt", "createdAt"],
      showProperties: ["reservation", "purpose", "tokenHash", "expiresAt", "usedAt", "createdAt"],
      sort: { sortBy: "createdAt", direction: "desc" },
      properties: { tokenHash: { description: "tokenHashHelp" } },
      actions: readOnlyActions,
    },
  };
}
