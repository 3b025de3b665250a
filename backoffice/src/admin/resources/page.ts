import type { ResourceWithOptions } from "adminjs";
import { modelResource, site, slugPrefill, type ResourceDeps } from "./shared.ts";

export function pageResource(deps: ResourceDeps): ResourceWithOptions {
  const { prisma } = deps;
  return {
    resource: modelResource(deps, "Page", {
      // Slugs are unique per language: "chi-siamo" may exist in Italian and English.
      prepare: slugPrefill(
        "title",
        async (slug, params) => !!(await prisma.page.findFirst({ where: { slug, locale: String(params.locale || "it") }, select: { id: true } })),
      ),
    }),
    options: {
      navigation: site,
      listProperties: ["title", "slug", "locale", "isPublished", "menuOrder", "updatedAt"],
      filterProperties: ["title", "slug", "locale", "isPublished"],
      editProperties: ["title", "locale", "body", "isPublished", "menuOrder", "slug"],
      sort: { sortBy: "menuOrder", direction: "asc" },
      properties: {
        body: { type: "textarea", description: "bodyHelp" },
        slug: { isRequired: false, description: "slugHelp" },
        locale: {
          availableValues: [
            { value: "it", label: "Italiano" },
            { value: "en", label: "English" },
          ],
          isRequired: false,
        },
        menuOrder: { isRequired: false },
        isPublished: { isRequired: false },
      },
      actions: { bulkDelete: { isAccessible: false } },
    },
  };
}
