import { cachedPublicRead, pickTranslation } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import type { Locale } from "$lib/i18n";
import { renderMarkdown } from "./markdown";

// Every page's layout reads these: through the short public-read cache (see
// packages/api/src/catalogue/public-read-cache.ts; edits show within its TTL).

export interface SiteSettings {
  name: string;
  tagline: string;
  description: string;
  accent: string;
  /** The language of each translated setting (the visitor's, else the other one). */
  lang: { tagline: Locale; description: Locale };
}

const DEFAULTS = {
  name: "Sipario",
  accent: "#b3261e",
};

/**
 * Translated settings (docs/adr/0016): `company.tagline` is the Italian text and
 * `company.tagline.en` the English one, as `title` / `titleEn` are on a show.
 */
const TRANSLATED_SETTINGS = ["company.tagline", "company.description"] as const;

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** The company's look and words (SiteSetting rows) in `locale`, with safe defaults for missing or bad values. */
export function siteSettings(prisma: PrismaClient, locale: Locale = "it"): Promise<SiteSettings> {
  return cachedPublicRead(prisma, `content.settings:${locale}`, () => loadSiteSettings(prisma, locale));
}

async function loadSiteSettings(prisma: PrismaClient, locale: Locale): Promise<SiteSettings> {
  const rows = await prisma.siteSetting.findMany({
    where: { key: { in: ["company.name", "theme.accent", ...TRANSLATED_SETTINGS.flatMap((key) => [key, `${key}.en`])] } },
  });
  const value = (key: string) => rows.find((r) => r.key === key)?.value.trim() || undefined;
  const translated = (key: (typeof TRANSLATED_SETTINGS)[number]) => pickTranslation(value(key), value(`${key}.en`), locale);
  const accent = value("theme.accent");
  const tagline = translated("company.tagline");
  const description = translated("company.description");
  return {
    name: value("company.name") ?? DEFAULTS.name,
    tagline: tagline.text,
    description: description.text,
    accent: accent && HEX_COLOUR.test(accent) ? accent : DEFAULTS.accent,
    lang: { tagline: tagline.lang, description: description.lang },
  };
}

export interface MenuPage {
  slug: string;
  title: string;
  /** The language of the title: the visitor's, or Italian for an untranslated page. */
  lang: string;
}

/**
 * Published company pages for the menu, in menuOrder: the visitor's language, falling
 * back to Italian for a slug that has no translation.
 */
export function menuPages(prisma: PrismaClient, locale: Locale): Promise<MenuPage[]> {
  return cachedPublicRead(prisma, `content.menu:${locale}`, () => loadMenuPages(prisma, locale));
}

async function loadMenuPages(prisma: PrismaClient, locale: Locale): Promise<MenuPage[]> {
  const rows = await prisma.page.findMany({
    where: { isPublished: true, locale: { in: [locale, "it"] } },
    orderBy: [{ menuOrder: "asc" }, { slug: "asc" }],
    select: { slug: true, title: true, locale: true, menuOrder: true },
  });
  const bySlug = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const seen = bySlug.get(row.slug);
    if (!seen || (seen.locale !== locale && row.locale === locale)) bySlug.set(row.slug, row);
  }
  return [...bySlug.values()]
    .sort((a, b) => a.menuOrder - b.menuOrder || a.slug.localeCompare(b.slug))
    .map(({ slug, title, locale: lang }) => ({ slug, title, lang }));
}

export interface CompanyPage {
  title: string;
  /** Rendered and sanitised Markdown. */
  html: string;
  lang: string;
  updatedAt: string;
}

/** A published company page in the visitor's language, else its Italian original; null if none. */
export function companyPage(prisma: PrismaClient, slug: string, locale: Locale): Promise<CompanyPage | null> {
  return cachedPublicRead(prisma, `content.page:${locale}:${slug}`, async () => {
    const rows = await prisma.page.findMany({
      where: { slug, isPublished: true, locale: { in: [locale, "it"] } },
      select: { title: true, body: true, locale: true, updatedAt: true },
    });
    const page = rows.find((r) => r.locale === locale) ?? rows[0];
    if (!page) return null;
    return { title: page.title, html: renderMarkdown(page.body), lang: page.locale, updatedAt: page.updatedAt.toISOString() };
  });
}
