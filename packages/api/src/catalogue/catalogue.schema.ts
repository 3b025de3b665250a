import { z } from "zod";
import { contentLocaleSchema } from "../i18n/translated.ts";
import { lineText } from "../lib/text.ts";

/** The visitor's language for translated texts; unset: Italian (docs/adr/0016). */
const locale = contentLocaleSchema.optional();

export const slugSchema = lineText()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/i, "Malformed slug");

export const showsInputSchema = z.object({ locale }).strict().optional();

export const showInputSchema = z.object({ slug: slugSchema, locale }).strict();

export const venueInputSchema = z.object({ slug: slugSchema, locale }).strict();
export type ShowInput = z.infer<typeof showInputSchema>;

export const performancesInputSchema = z
  .object({
    show: slugSchema.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    /** At most this many, soonest first (default and maximum 500). */
    limit: z.number().int().min(1).max(500).optional(),
    locale,
  })
  .strict()
  .optional();
export type PerformancesInput = z.infer<typeof performancesInputSchema>;

export const performanceInputSchema = z.object({ id: z.uuid(), locale }).strict();
export type PerformanceInput = z.infer<typeof performanceInputSchema>;
