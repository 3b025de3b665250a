import { z } from "zod";
import { lineText } from "../lib/text.ts";

export const slugSchema = lineText()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/i, "Malformed slug");

export const showInputSchema = z.object({ slug: slugSchema }).strict();
export type ShowInput = z.infer<typeof showInputSchema>;

export const performancesInputSchema = z
  .object({
    show: slugSchema.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    /** At most this many, soonest first (default and maximum 500). */
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict()
  .optional();
export type PerformancesInput = z.infer<typeof performancesInputSchema>;

export const performanceInputSchema = z.object({ id: z.uuid() }).strict();
export type PerformanceInput = z.infer<typeof performanceInputSchema>;
