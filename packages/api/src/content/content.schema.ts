import { z } from "zod";
import { contentLocaleSchema } from "../i18n/translated.ts";
import { lineText } from "../lib/text.ts";

/** The visitor's language for translated texts; unset: Italian (docs/adr/0016). */
const locale = contentLocaleSchema.optional();

/** content.settings and content.menu: only the language. */
export const contentInputSchema = z.object({ locale }).strict().optional();

/** Company page slugs (about, contacts...): lower-case words joined by dashes (Page.slug is VarChar(120)). */
export const pageSlugSchema = lineText()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Malformed slug");

export const pageInputSchema = z.object({ slug: pageSlugSchema, locale }).strict();
