import { DomainError } from "@sipario/api";
import type { ResourceWithOptions } from "adminjs";
import { anyOf, modelResource, programme, searchProperty, slugPrefill, text, type ResourceDeps } from "./shared.ts";

export function showResource(deps: ResourceDeps): ResourceWithOptions {
  const { prisma } = deps;
  const showSlug = slugPrefill("title", async (slug) => !!(await prisma.show.findUnique({ where: { slug }, select: { id: true } })));
  return {
    resource: modelResource(deps, "Show", {
      prepare: async (params, mode) => {
        const poster = text(params.posterImage)?.trim();
        // The site puts it in <img src>: only web addresses or site paths.
        if (poster && !/^(https?:\/\/[^\s"'<>]+|\/[^\s"'<>]*)$/i.test(poster)) {
          throw new DomainError("invalid_input", "The poster must be an http(s) address or a path starting with /.", { field: "posterImage" });
        }
        const prepared = { ...params, ...(params.posterImage !== undefined ? { posterImage: poster || null } : {}) };
        return showSlug(prepared, mode);
      },
      virtualFilters: { search: anyOf(["title", "slug", "summary", "description"]) },
    }),
    options: {
      navigation: programme,
      listProperties: ["title", "slug", "isPublished", "createdAt", "updatedAt"],
      filterProperties: ["search", "isPublished"],
      showProperties: ["title", "slug", "summary", "description", "posterImage", "isPublished", "createdAt", "updatedAt"],
      editProperties: ["title", "slug", "summary", "description", "posterImage", "isPublished"],
      sort: { sortBy: "title", direction: "asc" },
      properties: {
        ...searchProperty,
        slug: { isRequired: false, description: "slugHelp" },
        posterImage: { description: "posterHelp" },
        description: { type: "textarea" },
        summary: { type: "textarea" },
      },
      actions: { bulkDelete: { isAccessible: false } },
    },
  };
}
