import { DomainError, isValidTimeZone } from "@sipario/api";
import type { ResourceWithOptions } from "adminjs";
import { anyOf, englishOf, modelResource, programme, searchProperty, sideBySide, slugPrefill, text, type ResourceDeps } from "./shared.ts";

const TRANSLATED = ["name", "notes", "accessInfo", "transport"];
const EDIT_LAYOUT = sideBySide([["name"], "address", "city", "defaultCapacity", "timeZone", ["notes"], ["accessInfo"], ["transport"], "slug"]);

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
      listProperties: ["name", "city", "address", "defaultCapacity", "updatedAt"],
      filterProperties: ["search", "city"],
      editProperties: [...TRANSLATED.flatMap((field) => [field, `${field}En`]), "slug", "address", "city", "defaultCapacity", "timeZone"],
      sort: { sortBy: "name", direction: "asc" },
      properties: {
        ...searchProperty,
        slug: { isRequired: false, description: "slugHelp" },
        timeZone: { description: "timeZoneHelp" },
        defaultCapacity: { isRequired: false, description: "defaultCapacityHelp" },
        ...englishOf(TRANSLATED),
        notes: { type: "textarea", description: "notesHelp" },
        notesEn: { type: "textarea", isRequired: false, description: "englishHelp" },
        accessInfo: { type: "textarea", description: "accessInfoHelp" },
        accessInfoEn: { type: "textarea", isRequired: false, description: "englishHelp" },
        transport: { type: "textarea", description: "transportHelp" },
        transportEn: { type: "textarea", isRequired: false, description: "englishHelp" },
      },
      actions: { bulkDelete: { isAccessible: false }, new: { layout: EDIT_LAYOUT }, edit: { layout: EDIT_LAYOUT } },
    },
  };
}
