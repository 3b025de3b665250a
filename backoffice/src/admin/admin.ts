import "./env.ts";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AppConfig, siteSettings } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import AdminJS, { type BrandingOptions, ComponentLoader, type CurrentAdmin, type Locale } from "adminjs";
import { loadDmmf } from "./dmmf.ts";
import { SYSTEM_FONTS } from "./no-third-party.ts";
import { buildResources } from "./resources/index.ts";
import { adminTranslations, ADMIN_LANGUAGES, type AdminLanguage } from "./locale.ts";
import type { Services } from "./services.ts";
import { tonightPageHandler } from "./tonight-page.ts";

const componentsDir = fileURLToPath(new URL("./components/", import.meta.url));

export const ADMIN_ROOT = "/admin";

/** The AdminJS instance: resources, dashboard and branding. Does no I/O but reading the schema. */
export async function createAdmin(deps: { prisma: PrismaClient; config: AppConfig; services: Services }): Promise<AdminJS> {
  const componentLoader = new ComponentLoader();
  const components = {
    Dashboard: componentLoader.add("SiparioDashboard", join(componentsDir, "Dashboard.jsx")),
    ActionConfirm: componentLoader.add("SiparioActionConfirm", join(componentsDir, "ActionConfirm.jsx")),
    ExportCsv: componentLoader.add("SiparioExportCsv", join(componentsDir, "ExportCsv.jsx")),
    PersonalData: componentLoader.add("SiparioPersonalData", join(componentsDir, "PersonalData.jsx")),
    StatusBadge: componentLoader.add("SiparioStatusBadge", join(componentsDir, "StatusBadge.jsx")),
    AuditEntry: componentLoader.add("SiparioAuditEntry", join(componentsDir, "AuditEntry.jsx")),
    Tonight: componentLoader.add("SiparioTonight", join(componentsDir, "Tonight.jsx")),
    PosterUpload: componentLoader.add("SiparioPosterUpload", join(componentsDir, "PosterUpload.jsx")),
  };
  // Wraps the sidebar logo, mounted on every signed-in page: remembers a language chosen in the top bar.
  componentLoader.override("SidebarBranding", join(componentsDir, "SidebarBranding.jsx"));
  const dmmf = await loadDmmf();
  const admin = new AdminJS({
    rootPath: ADMIN_ROOT,
    loginPath: `${ADMIN_ROOT}/login`,
    logoutPath: `${ADMIN_ROOT}/logout`,
    componentLoader,
    resources: buildResources({ ...deps, dmmf, components }),
    dashboard: { component: components.Dashboard, handler: async () => deps.services.dashboard() },
    // The box office's home on a performance day (the dashboard's first link).
    pages: { tonight: { component: components.Tonight, icon: "Moon", handler: tonightPageHandler(deps.services) } },
    // The company's name and accent: the site's own reader (through the short public-read cache).
    branding: async () => {
      const { name, accent } = await siteSettings(deps.prisma);
      return {
        companyName: name,
        withMadeWithLove: false,
        logo: false,
        // The design system types every theme key as a record; font is a plain string (its
        // default is "'Roboto', sans-serif", from Google Fonts), which its merge handles.
        theme: { font: SYSTEM_FONTS, colors: { primary100: accent, primary80: accent, primary60: accent, accent } } as unknown as BrandingOptions["theme"],
      };
    },
    // Our few rules on top of AdminJS's look (the login page without the stock illustrations).
    assets: { styles: [`${ADMIN_ROOT}/sipario.css`] },
    // A function of the signed-in admin: their stored language, else the browser's (ADR-0015).
    locale: (currentAdmin?: CurrentAdmin) => adminLocale((currentAdmin as { adminLocale?: AdminLanguage | null } | undefined)?.adminLocale),
    settings: { defaultPerPage: 20 },
  });
  return admin;
}

/** Served at /admin/sipario.css: the login page shows the company's name and words, not AdminJS's astronaut. */
export const ADMIN_STYLES = `.login__Wrapper svg { display: none; }
.login__Wrapper h2, .login__Wrapper p { color: #fff; }
`;

/**
 * The language of the screens: the one the admin chose (stored on their user), else the
 * browser's, detected in the page (Italian when it is neither Italian nor English).
 */
export function adminLocale(chosen: AdminLanguage | null | undefined): Locale {
  const common = { availableLanguages: [...ADMIN_LANGUAGES], translations: adminTranslations };
  if (chosen) return { ...common, language: chosen, lng: chosen };
  return { ...common, language: "it", localeDetection: true, detection: { order: ["navigator"], caches: [] } };
}

/**
 * AdminJS (outside production) serves the bundle of our components from its directory
 * if the file exists, even when the components changed since. Remove it at start so the
 * first page load bundles the current ones.
 */
export async function clearStaleBundle(): Promise<void> {
  if (process.env.NODE_ENV === "production") return;
  await rm(join(process.env.ADMIN_JS_TMP_DIR!, "bundle.js"), { force: true });
}
