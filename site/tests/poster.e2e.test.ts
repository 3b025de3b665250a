import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storePoster } from "@sipario/api";
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, launchBrowser } from "./support/browser.ts";
import { ensureResultsDir, siteDir, startSite, type Site } from "./support/site.ts";

/**
 * A poster uploaded in the back-office (stored by the same storePoster its upload route
 * calls; the upload itself is tested in Chromium in backoffice/tests/poster.browser.test.ts)
 * is on the show's page of the built site, served from POSTER_DIR with a year of caching.
 */
let db: TestDatabase;
let site: Site;
let browser: Browser;
let posterDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  posterDir = mkdtempSync(join(tmpdir(), "sipario-site-posters-"));
  site = await startSite({ DATABASE_URL: db.url!, POSTER_DIR: posterDir });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await db?.drop();
  rmSync(posterDir, { recursive: true, force: true });
});

describe("uploaded posters on the site", () => {
  it("shows the uploaded poster on the show's page and serves it with long-lived caching", async () => {
    const show = await factories.show(db.prisma, { title: "Le serve", slug: "le-serve-poster" });
    await factories.performance(db.prisma, { showId: show.id });
    const png = readFileSync(join(siteDir, "static", "staff-icon-512.png"));
    const { posterImage } = await storePoster(db.prisma, { posterDir }, show.id, png, null);

    const page = await browser.newPage({ viewport: DESKTOP, locale: "it-IT" });
    await page.goto(`${site.origin}/shows/le-serve-poster`);
    const img = page.locator("img.show__poster");
    expect(await img.getAttribute("src")).toBe(posterImage);
    await expect
      .poll(() => img.evaluate((el: unknown) => ((el as { complete: boolean }).complete ? (el as { naturalWidth: number }).naturalWidth : 0)))
      .toBe(512);
    await page.screenshot({ path: join(ensureResultsDir(), "poster-on-show-page.png") });
    await page.close();

    const response = await fetch(`${site.origin}${posterImage}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/webp");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    // Only names the upload makes; nothing else under or outside the folder.
    for (const path of ["/posters/uploads/0123456789abcdef0123456789abcdef.webp", "/posters/uploads/..%2F..%2Fetc%2Fpasswd", "/posters/uploads/x.svg"]) {
      expect((await fetch(`${site.origin}${path}`)).status, path).toBe(404);
    }
  });
});
