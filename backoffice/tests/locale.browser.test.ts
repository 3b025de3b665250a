import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { factories } from "@sipario/db/testing";
import type AdminJS from "adminjs";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdmin } from "../src/admin/admin.ts";
import { adminTranslations, type AdminLanguage } from "../src/admin/locale.ts";
import { makeServices } from "../src/admin/services.ts";
import { startBackoffice, type Harness, launchBrowser, signInPage } from "./helpers.ts";

const RESULTS = join(import.meta.dirname, "..", "test-results", "locale");
const VIEWPORT = { width: 1366, height: 900 };

let h: Harness;
let admin: AdminJS;
let browser: Browser;
let credentials: { email: string; password: string; id: string };
const recordIds = new Map<string, string>();

/** lodash's startCase, which AdminJS shows for a property or action it has no words for. */
const startCase = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  h = await startBackoffice();
  admin = await createAdmin({ prisma: h.db.prisma, config: h.config, services: makeServices({ prisma: h.db.prisma, config: h.config }) });
  const prisma = h.db.prisma;
  const { user, password } = await factories.user(prisma, { role: "admin", name: "Giulia Rossi" });
  credentials = { email: user.email, password, id: user.id };
  const show = await factories.show(prisma, { title: "Le serve", slug: "le-serve" });
  const venue = await factories.venue(prisma, { name: "Teatro Tordinona", slug: "tordinona" });
  const perf = await factories.performance(prisma, { showId: show.id, venueId: venue.id, startsAt: new Date(Date.now() + 3 * 86_400_000), roomCapacity: 40 });
  const reservation = await factories.reservation(prisma, {
    performanceId: perf.id,
    partySize: 2,
    status: "confirmed",
    confirmedAt: new Date(),
    name: "Mario Bianchi",
  });
  await prisma.checkIn.create({ data: { reservationId: reservation.id, checkedInById: user.id, source: "manual", checkedInAt: new Date() } });
  await prisma.page.create({ data: { title: "Chi siamo", slug: "chi-siamo", body: "Testo", locale: "it" } });
  await prisma.siteSetting.upsert({ where: { key: "company.name" }, create: { key: "company.name", value: "AzioneLab" }, update: {} });
  // Some writes through the back-office's own API leave tokens, emails and audit rows behind.
  for (const [model, row] of Object.entries({
    Show: show,
    Venue: venue,
    Performance: perf,
    Reservation: reservation,
    User: user,
  })) {
    recordIds.set(model, row.id);
  }
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

async function signedIn(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale, timezoneId: "Europe/Rome" });
  const page = await context.newPage();
  await signInPage(page, h.base, credentials);
  return { context, page };
}

/** Words on the page that AdminJS makes up from a name it found no translation for. */
function untranslated(resourceId: string, language: AdminLanguage, text: string): string[] {
  const t = adminTranslations[language];
  const own = t.resources?.[resourceId] ?? {};
  const decorated = admin.findResource(resourceId).decorate();
  const suspects: string[] = [];
  for (const p of Object.values(decorated.properties)) {
    const path = p.propertyPath;
    const words = (own.properties as Record<string, string> | undefined)?.[path];
    if (startCase(path) !== words) suspects.push(startCase(path));
  }
  for (const name of Object.keys(decorated.actions)) {
    const words = (own.actions as Record<string, string> | undefined)?.[name] ?? (t.actions as Record<string, string>)[name];
    if (startCase(name) !== words) suspects.push(startCase(name));
  }
  // A made-up word that is also part of real words here ("Show" in "Show title") proves nothing.
  const real = [...Object.values((own.properties ?? {}) as Record<string, string>), ...Object.values((own.actions ?? {}) as Record<string, string>)];
  return suspects
    .filter((s) => !real.some((words) => words.includes(s)))
    .filter((s) => new RegExp(`(^|[^\\p{L}])${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\p{L}])`, "u").test(text));
}

async function pageText(page: Page): Promise<string> {
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(200);
  return page.locator("body").innerText();
}

describe("every back-office screen, in Italian and in English, at 1366×900", () => {
  for (const [language, browserLocale] of [
    ["it", "it-IT"],
    ["en", "en-GB"],
  ] as const) {
    it(`walks every resource's list, show and edit pages in ${language} and finds no untranslated label`, { timeout: 300_000 }, async () => {
      const { context, page } = await signedIn(browserLocale);
      const problems: string[] = [];
      try {
        expect(await page.getAttribute("html", "lang")).toBeTruthy();
        // The menu's groups are in the admin's language.
        const menu = await page.locator('[data-css="sidebar"], nav').first().innerText();
        expect(menu).toContain((adminTranslations[language].labels as Record<string, string>).Programme);
        for (const resource of admin.resources) {
          const id = resource.decorate().id();
          const views: [string, string][] = [["list", `/admin/resources/${id}`]];
          const record =
            recordIds.get(id) ??
            (
              (await (h.db.prisma as unknown as Record<string, { findFirst(a: object): Promise<Record<string, unknown> | null> }>)[
                id[0]!.toLowerCase() + id.slice(1)
              ]!.findFirst({})) as Record<string, unknown> | null
            )?.[id === "SiteSetting" ? "key" : "id"];
          if (record) {
            views.push(["show", `/admin/resources/${id}/records/${encodeURIComponent(String(record))}/show`]);
            const decorated = resource.decorate();
            if (decorated.actions.edit?.isAccessible({ currentAdmin: { id: credentials.id, email: credentials.email } } as never)) {
              views.push(["edit", `/admin/resources/${id}/records/${encodeURIComponent(String(record))}/edit`]);
            }
          }
          if (resource.decorate().actions.new?.isAccessible({ currentAdmin: { id: credentials.id, email: credentials.email } } as never)) {
            views.push(["new", `/admin/resources/${id}/actions/new`]);
          }
          for (const [view, url] of views) {
            await page.goto(`${h.base}${url}`);
            const text = await pageText(page);
            for (const word of untranslated(id, language, text)) problems.push(`${language} ${id} ${view}: "${word}" is shown untranslated`);
            await page.screenshot({ path: join(RESULTS, `${language}-${id}-${view}.png`) });
          }
        }
      } finally {
        await context.close();
      }
      expect(problems, "add the words to backoffice/src/admin/locale.ts").toEqual([]);
    });
  }

  it("greets on the login page with the company's name and colour, without AdminJS's illustrations", { timeout: 120_000 }, async () => {
    await h.db.prisma.siteSetting.upsert({ where: { key: "theme.accent" }, create: { key: "theme.accent", value: "#2e6b30" }, update: { value: "#2e6b30" } });
    const context = await browser.newContext({ viewport: VIEWPORT, locale: "it-IT" });
    const page = await context.newPage();
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await page.goto(`${h.base}/admin/login`);
    await page.waitForSelector(".login__Wrapper");
    expect(await page.locator(".login__Wrapper").innerText()).toContain("AzioneLab");
    expect(
      await page
        .locator(".login__Wrapper svg")
        .evaluateAll(
          (svgs) =>
            svgs.filter((s) => (globalThis as unknown as { getComputedStyle(e: unknown): { display: string } }).getComputedStyle(s).display !== "none").length,
        ),
    ).toBe(0);
    // The welcome panel wears the accent colour.
    const backgrounds = await page
      .locator(".login__Wrapper *")
      .evaluateAll((els) =>
        els.map((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor),
      );
    expect(backgrounds).toContain("rgb(46, 107, 48)");
    await page.screenshot({ path: join(RESULTS, "login-company.png") });
    await context.close();
  });

  it("keeps the language an admin picks in the top bar, on their user, in a new browser", { timeout: 180_000 }, async () => {
    const first = await signedIn("en-GB");
    await first.page.getByRole("button", { name: "English" }).click();
    await first.page.getByText("Italiano", { exact: true }).last().click();
    await expect.poll(async () => (await h.db.prisma.user.findUniqueOrThrow({ where: { id: credentials.id } })).adminLocale, { timeout: 15_000 }).toBe("it");
    await first.context.close();
    // An English browser, but the admin chose Italian.
    const second = await signedIn("en-GB");
    await second.page.goto(`${h.base}/admin/resources/Performance`);
    const text = await pageText(second.page);
    expect(text).toContain("Posti liberi");
    await second.page.screenshot({ path: join(RESULTS, "chosen-italian-in-english-browser.png") });
    await second.context.close();
    await h.db.prisma.user.update({ where: { id: credentials.id }, data: { adminLocale: null } });
  });
});
