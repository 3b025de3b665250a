import { DomainError, POSTER_LIMITS } from "@sipario/api";
import type { ResourceWithOptions } from "adminjs";
import { anyOf, englishOf, modelResource, programme, searchProperty, sideBySide, slugPrefill, text, type ResourceDeps } from "./shared.ts";

const TRANSLATED = ["title", "summary", "description", "credits", "ageGuidance"];
const EDIT_LAYOUT = sideBySide([
  ["title"],
  "slug",
  ["summary"],
  ["description"],
  ["credits"],
  ["ageGuidance"],
  "runningTimeMinutes",
  "language",
  "posterImage",
  "isPublished",
]);

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
      virtualFilters: { search: anyOf(["title", "titleEn", "slug", "summary", "description"]) },
    }),
    options: {
      navigation: programme,
      listProperties: ["title", "isPublished", "updatedAt"],
      filterProperties: ["search", "isPublished"],
      showProperties: [
        ...TRANSLATED.flatMap((field) => [field, `${field}En`]),
        "runningTimeMinutes",
        "language",
        "posterImage",
        "isPublished",
        "slug",
        "createdAt",
        "updatedAt",
      ],
      // The slug fills itself from the title: last, labelled advanced.
      editProperties: [...TRANSLATED.flatMap((field) => [field, `${field}En`]), "runningTimeMinutes", "language", "posterImage", "isPublished", "slug"],
      sort: { sortBy: "title", direction: "asc" },
      properties: {
        ...searchProperty,
        slug: { isRequired: false, description: "slugHelp" },
        // Uploaded, not typed: the component sends the image to /admin/upload/shows/<id>/poster.
        posterImage: {
          description: "posterHelp",
          components: { edit: deps.components.PosterUpload, show: deps.components.PosterUpload },
          props: { maxBytes: POSTER_LIMITS.maxBytes },
        },
        ...englishOf(TRANSLATED),
        description: { type: "textarea" },
        descriptionEn: { type: "textarea", isRequired: false, description: "englishHelp" },
        summary: { type: "textarea" },
        summaryEn: { type: "textarea", isRequired: false, description: "englishHelp" },
        credits: { type: "textarea" },
        creditsEn: { type: "textarea", isRequired: false, description: "englishHelp" },
        runningTimeMinutes: { description: "runningTimeHelp" },
        language: { description: "languageHelp" },
      },
      actions: { bulkDelete: { isAccessible: false }, new: { layout: EDIT_LAYOUT }, edit: { layout: EDIT_LAYOUT } },
    },
  };
}
