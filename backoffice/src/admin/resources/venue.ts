import { DomainError, isValidTimeZone } from "@sipario/api";
import type { ResourceWithOptions } from "adminjs";
import { anyOf, modelResource, programme, searchProperty, slugPrefill, text, type ResourceDeps } from "./shared.ts";

export function venueResource(deps: ResourceDeps): ResourceWithOptions {
  const { prisma } = deps;
  const venueSlug = slugPrefill("name", async (slug) => !!(await prisma.venue.findUnique({ where: { slug }, select: { id: true } })));
  return {
    resource: modelResource(deps, "Venue", {
      prepare: (params, mode) => {
        const timeZone = text(params.timeZone)?.trim();
        if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
          throw new DomainError("invalid_input", "Enter an IANA time zone such as Europe/Rome.", { field: "timeZone" });
        }
        return venueSlug(params, mode);
      },
      virtualFilters: { search: anyOf(["name", "slug", "address", "city", "notes"]) },
    }),
    options: {
      navigation: programme,
      listProperties: ["name", "slug", "city", "address", "createdAt", "updatedAt"],
      filterProperties: ["search", "city"],
      editProperties: ["name", "address", "city", "defaultCapacity", "timeZone", "notes", "slug"],
      sort: { sortBy: "name", direction: "asc" },
      properties: {
        ...searchProperty,
        slug: { isRequired: false, description: "slugHelp" },
        notes: { type: "textarea" },
        timeZone: { description: "timeZoneHelp" },
        defaultCapacity: { isRequired: false, description: "defaultCapacityHelp" },
      },
      actions: { bulkDelete: { isAccessible: false } },
    },
  };
}
