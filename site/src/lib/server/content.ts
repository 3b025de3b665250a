import { cachedPublicRead } from "@sipario/api";
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
}

const DEFAULTS: SiteSettings = {
  name: "Sipario",
  tagline: "",
  description: "",
  accent: "#b3261e",
};

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** The company's look and words (SiteSetting rows), with safe defaults for missing or bad values. */
export function siteSettings(prisma: PrismaClient): Promise<SiteSettings> {
  return cachedPublicRead(prisma, "content.settings", () => loadSiteSettings(prisma));
}

async function loadSiteSettings(prisma: PrismaClient): Promise<SiteSettings> {
  const rows = await prisma.siteSetting.findMany({
    where: { key: { in: ["company.name", "company.tagline", "company.description", "theme.accent"] } },
  });
  const value = (key: string) => rows.find((r) => r.key === key)?.value.trim() || undefined;
  const accent = value("theme.accent");
  return {
    name: value("company.name") ?? DEFAULTS.name,
    tagline: value("company.tagline") ?? DEFAULTS.tagline,
    description: value("company.description") ?? DEFAULTS.description,
    accent: accent && HEX_COLOUR.test(accent) ? accent : DEFAULTS.accent,
  };
}

export interface MenuPage {
  slug: string;
  title: string;
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
    .map(({ slug, title }) => ({ slug, title }));
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
