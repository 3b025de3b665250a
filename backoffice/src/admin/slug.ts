/** "La Locandiera (2026)" -> "la-locandiera-2026": lowercase ASCII, accents dropped. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 180);
}

/**
 * A slug from `source` when the admin left it empty, made unique with -2, -3...
 * A slug typed by the admin is kept as typed: a duplicate is reported on the form.
 */
export async function prefillSlug(
  params: Record<string, unknown>,
  source: string,
  exists: (slug: string, params: Record<string, unknown>) => Promise<boolean>,
): Promise<Record<string, unknown>> {
  const given = typeof params.slug === "string" ? params.slug.trim() : "";
  if (given) return { ...params, slug: slugify(given) || given };
  const base = slugify(String(params[source] ?? "")) || "item";
  let slug = base;
  for (let n = 2; n < 100 && (await exists(slug, params)); n++) slug = `${base}-${n}`;
  return { ...params, slug };
}
