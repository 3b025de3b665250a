import type { PrismaClient } from "@sipario/db";
import { type ContentLocale, contentLocale, pickTranslation } from "../i18n/translated.ts";
import { escapeHtml } from "./escape.ts";

/**
 * One layout for every email (logo, accent, greeting, footer with contacts and the
 * privacy page). Renderers write only the body, through `page()`, which marks it with
 * LAYOUT_MARKER; the outbox wraps marked bodies when it sends them, so a change of logo
 * or contacts in the back-office reaches every email without touching each renderer.
 */
export const LAYOUT_MARKER = "<!-- sipario:layout -->";

/** The colour buttons are drawn in by the renderers; the layout repaints it in the site's accent. */
export const BUTTON_COLOUR = "#7a1f2b";

export interface MailBrand {
  name: string;
  accent: string;
  /** Absolute URL of the logo image; null: the name alone. */
  logoUrl: string | null;
  contactEmail: string;
  contactPhone: string;
  /** Absolute URL of the privacy page. */
  privacyUrl: string;
  /** Admin-written footer line, both languages (translated setting, docs/adr/0016). */
  footer: { it: string; en: string };
}

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
const BRAND_KEYS = ["company.name", "theme.accent", "company.logo", "company.email", "company.phone", "email.footer", "email.footer.en", "privacy.page"];
const BRAND_CACHE_MS = 30_000;
let cached: { at: number; origin: string; brand: Promise<MailBrand> } | null = null;

/** The company's look and contacts for emails, from SiteSetting (cached for 30 s per process). */
export function mailBrand(prisma: PrismaClient, origin: string, now = Date.now()): Promise<MailBrand> {
  if (cached && cached.origin === origin && now - cached.at < BRAND_CACHE_MS) return cached.brand;
  const brand = loadMailBrand(prisma, origin);
  cached = { at: now, origin, brand };
  brand.catch(() => (cached = null));
  return brand;
}

async function loadMailBrand(prisma: PrismaClient, origin: string): Promise<MailBrand> {
  const rows = await prisma.siteSetting.findMany({ where: { key: { in: BRAND_KEYS } } });
  const value = (key: string) => rows.find((r) => r.key === key)?.value.trim() ?? "";
  const absolute = (url: string) => (/^https?:\/\//i.test(url) ? url : `${origin}${url.startsWith("/") ? "" : "/"}${url}`);
  const logo = value("company.logo");
  const accent = value("theme.accent");
  return {
    name: value("company.name") || "Sipario",
    accent: HEX_COLOUR.test(accent) ? accent : BUTTON_COLOUR,
    logoUrl: logo ? absolute(logo) : null,
    contactEmail: value("company.email"),
    contactPhone: value("company.phone"),
    privacyUrl: absolute(`/${value("privacy.page") || "privacy"}`),
    footer: { it: value("email.footer"), en: value("email.footer.en") },
  };
}

const words = {
  it: { greeting: (name: string) => `Gentile ${name},`, privacy: "Informativa sulla privacy", sentBy: (name: string) => `Email inviata da ${name}.` },
  en: { greeting: (name: string) => `Dear ${name},`, privacy: "Privacy notice", sentBy: (name: string) => `Email sent by ${name}.` },
} as const;

/** "Giulia Rossi" -> "Giulia": greetings use the first name the visitor typed. */
export function firstName(name: string | null | undefined): string | null {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first.slice(0, 60) : null;
}

/** Wraps a marked body in the shared layout (HTML and text); anything else is returned unchanged. */
export function applyLayout(
  message: { html: string; text: string },
  options: { brand: MailBrand; locale: string | null | undefined; name?: string | null },
): { html: string; text: string } {
  if (!message.html.startsWith(LAYOUT_MARKER)) return message;
  const locale: ContentLocale = contentLocale(options.locale);
  const w = words[locale];
  const { brand } = options;
  const footer = pickTranslation(brand.footer.it, brand.footer.en, locale);
  const first = firstName(options.name);
  const greeting = first ? w.greeting(first) : null;
  const contacts = [brand.contactEmail, brand.contactPhone].filter(Boolean);
  const body = message.html.slice(LAYOUT_MARKER.length).replaceAll(BUTTON_COLOUR, brand.accent);
  const font = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif";
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="color-scheme" content="light"></head>` +
    `<body style="margin:0;padding:0;background:#f4f1ec">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f1ec"><tr><td align="center" style="padding:16px 8px">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-top:6px solid ${brand.accent};border-radius:8px;${font};line-height:1.5;color:#222">` +
    `<tr><td style="padding:20px 24px 4px">` +
    (brand.logoUrl
      ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.name)}" width="48" height="48" style="display:inline-block;vertical-align:middle;border:0;height:48px;width:48px"> `
      : "") +
    `<strong style="font-size:18px;vertical-align:middle">${escapeHtml(brand.name)}</strong></td></tr>` +
    `<tr><td style="padding:8px 24px 16px;font-size:16px;word-break:break-word">` +
    (greeting ? `<p>${escapeHtml(greeting)}</p>` : "") +
    body +
    `</td></tr>` +
    `<tr><td style="padding:16px 24px 20px;border-top:1px solid #e3ddd3;font-size:13px;color:#555">` +
    (footer.text ? `<p style="margin:0 0 8px" lang="${footer.lang}">${escapeHtml(footer.text)}</p>` : "") +
    `<p style="margin:0 0 8px">${escapeHtml(w.sentBy(brand.name))}${contacts.length ? `<br>${contacts.map(escapeHtml).join(" · ")}` : ""}</p>` +
    `<p style="margin:0"><a href="${escapeHtml(brand.privacyUrl)}" style="color:#555">${escapeHtml(w.privacy)}</a></p>` +
    `</td></tr></table></td></tr></table></body></html>`;
  const text = [
    ...(greeting ? [greeting, ""] : []),
    message.text,
    "",
    "-- ",
    ...(footer.text ? [footer.text] : []),
    w.sentBy(brand.name),
    ...(contacts.length ? [contacts.join(" · ")] : []),
    `${w.privacy}: ${brand.privacyUrl}`,
  ].join("\n");
  return { html, text };
}
