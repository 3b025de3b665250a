import { DomainError, isValidTimeZone } from "@sipario/api";
import type { ResourceWithOptions } from "adminjs";
import { anyOf, englishOf, modelResource, programme, searchProperty, sideBySide, slugPrefill, text, type ResourceDeps } from "./shared.ts";

const TRANSLATED = ["name", "notes", "accessInfo", "transport"];
const EDIT_LAYOUT = sideBySide([["name"], "slug", "address", "city", "timeZone", ["notes"], ["accessInfo"], ["transport"]]);

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
      editProperties: [...TRANSLATED.flatMap((field) => [field, `${field}En`]), "slug", "address", "city", "timeZone"],
      sort: { sortBy: "name", direction: "asc" },
      properties: {
        ...searchProperty,
        slug: { isRequired: false, description: "Leave empty to build it from the name." },
        ...englishOf(TRANSLATED),
        notes: { type: "textarea", description: "Shown to visitors: how to find the entrance." },
        notesEn: { type: "textarea", isRequired: false, description: "English" },
        accessInfo: { type: "textarea", description: "Shown to visitors: steps, lifts, toilets, seats for wheelchairs." },
        accessInfoEn: { type: "textarea", isRequired: false, description: "English" },
        transport: { type: "textarea", description: "Shown to visitors: buses, metro, stops." },
        transportEn: { type: "textarea", isRequired: false, description: "English" },
      },
      actions: { bulkDelete: { isAccessible: false }, new: { layout: EDIT_LAYOUT }, edit: { layout: EDIT_LAYOUT } },
    },
  };
}
