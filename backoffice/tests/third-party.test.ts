import { factories } from "@sipario/db/testing";
import { type Browser, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackoffice, type Harness, launchBrowser } from "./helpers.ts";

/**
 * GDPR: an admin's browser must not tell anyone else that they opened the back-office
 * (AdminJS's templates link Google Fonts, which logs the visitor's address). Every
 * request each page makes is recorded; any to another origin fails the test, naming the
 * page and listing what it loaded.
 */

let h: Harness;
let browser: Browser;
let context: BrowserContext;
let admin: { email: string; password: string };
let reservationId: string;

beforeAll(async () => {
  h = await startBackoffice();
  const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
  admin = { email: user.email, password };
  const performance = await factories.performance(h.db.prisma, {});
  reservationId = (await factories.reservation(h.db.prisma, { performanceId: performance.id, status: "confirmed", confirmedAt: new Date() })).id;
  browser = await launchBrowser();
  context = await browser.newContext({ locale: "it-IT" });
  // Requests to other origins are recorded (the "request" event fires first), then cut:
  // the test must not depend on the network, nor leak to it.
  await context.route("**/*", (route) => (new URL(route.request().url()).origin === h.base ? route.continue() : route.abort()));
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe("the back-office makes no request to another origin", () => {
  it("on the login page, the dashboard, a list, a record and its edit form", async () => {
    const page = await context.newPage();
    const seen = new Map<string, string[]>();
    let current = "";
    page.on("request", (request) => seen.get(current)?.push(request.url()));
    const visit = async (name: string, path: string, ready: string) => {
      current = name;
      seen.set(name, []);
      await page.goto(`${h.base}${path}`);
      // The first page after sign-in bundles our components: generous.
      await page.waitForSelector(ready, { timeout: 90_000 });
      await page.waitForLoadState("networkidle");
    };

    await visit("login", "/admin/login", 'form[action="/admin/login"]');
    await page.fill('input[name="email"]', admin.email);
    await page.fill('input[name="password"]', admin.password);
    current = "sign-in";
    seen.set("sign-in", []);
    await page.click('form[action="/admin/login"] button');
    await page.waitForSelector('[data-testid="sipario-dashboard"]', { timeout: 90_000 });
    await visit("dashboard", "/admin", '[data-testid="sipario-dashboard"]');
    await visit("list", "/admin/resources/Reservation", "table");
    await visit("show", `/admin/resources/Reservation/records/${reservationId}/show`, '[data-testid="property-show-name"]');
    await visit("edit", `/admin/resources/Reservation/records/${reservationId}/edit`, '[data-testid="property-edit-name"]');

    const report = [...seen].map(([name, urls]) => `${name}:\n${urls.map((u) => `  ${u}`).join("\n")}`).join("\n");
    const foreign = [...seen].flatMap(([name, urls]) => urls.filter((u) => new URL(u).origin !== h.base).map((u) => `${name}: ${u}`));
    expect(foreign, `requests to other origins (every request seen, per page, follows)\n${report}`).toEqual([]);
    // The record proves the pages really loaded through the browser.
    for (const name of ["login", "dashboard", "list", "show", "edit"]) expect(seen.get(name)!.length, name).toBeGreaterThan(0);
    // The theme asks for the system's fonts, not Google's Roboto.
    const labelFont = `getComputedStyle(document.querySelector('[data-testid="property-edit-name"] label')).fontFamily`;
    expect(await page.evaluate(labelFont)).toContain("system-ui");
    await page.close();
  }, 240_000);
});
