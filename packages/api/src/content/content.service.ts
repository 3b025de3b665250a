import type { PrismaClient } from "@sipario/db";
import { cachedPublicRead } from "../lib/public-read-cache.ts";
import { DomainError } from "../errors.ts";
import { type ContentLocale, pickTranslation } from "../i18n/translated.ts";

/**
 * What the site shows around and between the catalogue: the company's settings (name,
 * words, accent colour) and its pages (about, contacts, privacy). Every page's layout reads
 * these, so they go through the short public-read cache (lib/public-read-cache.ts):
 * back-office edits show within its TTL.
 */

export interface SiteSettings {
  name: string;
  tagline: string;
  description: string;
  /** `#rrggbb`, safe to put in a stylesheet. */
  accent: string;
  /** The language of each translated setting (the visitor's, else the other one). */
  lang: { tagline: ContentLocale; description: ContentLocale };
}

const DEFAULTS = { name: "Sipario", accent: "#b3261e" };

/**
 * Translated settings (docs/adr/0016): `company.tagline` is the Italian text and
 * `company.tagline.en` the English one, as `title` / `titleEn` are on a show.
 */
const TRANSLATED_SETTINGS = ["company.tagline", "company.description"] as const;

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/**
 * The company's look and words (SiteSetting rows) in `locale`, with safe defaults for a
 * missing or malformed value: the accent is always a `#rrggbb` colour. Never throws a
 * domain error.
 */
export function siteSettings(prisma: PrismaClient, locale: ContentLocale = "it"): Promise<SiteSettings> {
  return cachedPublicRead(prisma, `content.settings:${locale}`, () => loadSiteSettings(prisma, locale));
}

async function loadSiteSettings(prisma: PrismaClient, locale: ContentLocale): Promise<SiteSettings> {
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
 * Published company pages for the menu, in menuOrder then slug: the visitor's language,
 * falling back to Italian for a slug that has no translation.
 */
export function menuPages(prisma: PrismaClient, locale: ContentLocale = "it"): Promise<MenuPage[]> {
  return cachedPublicRead(prisma, `content.menu:${locale}`, () => loadMenuPages(prisma, locale));
}

async function loadMenuPages(prisma: PrismaClient, locale: ContentLocale): Promise<MenuPage[]> {
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
  /** The admin's Markdown, as written: the site renders and sanitises it. */
  body: string;
  lang: string;
  updatedAt: string;
}

/**
 * A published company page in `locale`, else its Italian original. Throws not_found when
 * there is neither (that answer is cached too, so unknown slugs cost no more queries than
 * known ones).
 */
export async function companyPage(prisma: PrismaClient, slug: string, locale: ContentLocale = "it"): Promise<CompanyPage> {
  const page = await cachedPublicRead(prisma, `content.page:${locale}:${slug}`, async (): Promise<CompanyPage | null> => {
    const rows = await prisma.page.findMany({
      where: { slug, isPublished: true, locale: { in: [locale, "it"] } },
      select: { title: true, body: true, locale: true, updatedAt: true },
    });
    const found = rows.find((r) => r.locale === locale) ?? rows[0];
    if (!found) return null;
    return { title: found.title, body: found.body, lang: found.locale, updatedAt: found.updatedAt.toISOString() };
  });
  if (!page) throw new DomainError("not_found", "Page not found.");
  return page;
}
