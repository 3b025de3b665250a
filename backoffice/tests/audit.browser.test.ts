import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { factories } from "@sipario/db/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourceWords } from "../src/admin/locale.ts";
import { startBackoffice, type Harness, launchBrowser, signInPage } from "./helpers.ts";

// Issue 17, proof: a capacity edit with its help text, then the audit entry it wrote, in words.
const RESULTS = join(import.meta.dirname, "..", "test-results", "audit");

let h: Harness;
let browser: Browser;
let admin: { email: string; password: string };
let performanceId: string;

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  h = await startBackoffice();
  const { user, password } = await factories.user(h.db.prisma, { role: "admin", name: "Mario Rossi" });
  admin = { email: user.email, password };
  const show = await factories.show(h.db.prisma, { title: "Le serve", slug: "le-serve" });
  const venue = await factories.venue(h.db.prisma, { name: "Teatro Tordinona", slug: "tordinona", timeZone: "Europe/Rome" });
  // 19:30 UTC is 20:30 in Rome in December.
  const perf = await factories.performance(h.db.prisma, { showId: show.id, venueId: venue.id, roomCapacity: 120, startsAt: new Date("2031-12-14T19:30:00Z") });
  performanceId = perf.id;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

async function signedIn(locale: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, timezoneId: "Europe/Rome", locale });
  await signInPage(page, h.base, admin);
  return page;
}

describe("the audit log in words (issue 17)", () => {
  for (const [language, locale, from, to, expected] of [
    ["it", "it-IT", 120, 110, "Mario Rossi ha cambiato Posti in sala da 120 a 110 per Le serve, 14 dic 20:30"],
    ["en", "en-GB", 110, 100, "Mario Rossi changed Seats in the room from 110 to 100 for Le serve, 14 Dec 20:30"],
  ] as const) {
    it(`${language}: a capacity edit with its help text, then the entry it wrote`, async () => {
      const help = resourceWords.Performance!.messages!.roomCapacityHelp![language === "it" ? 0 : 1];
      const page = await signedIn(locale);
      await page.goto(`${h.base}/admin/resources/Performance/records/${performanceId}/edit`);
      const field = page.locator('[data-testid="property-edit-roomCapacity"]');
      await field.locator("input").fill(String(to));
      // The help text is the label's tooltip: shown while the pointer rests on its icon.
      await field.locator("label svg").first().hover();
      await expect.poll(() => page.textContent("body"), { timeout: 30_000 }).toContain(help);
      await page.screenshot({ path: join(RESULTS, `capacity-edit-${language}.png`), fullPage: true });
      await page.click('[data-testid="button-save"]');
      await expect
        .poll(async () => (await h.db.prisma.performance.findUniqueOrThrow({ where: { id: performanceId } })).roomCapacity, { timeout: 15_000 })
        .toBe(to);
      const entries = await h.db.prisma.auditLog.findMany({ where: { entityId: performanceId }, orderBy: { createdAt: "desc" } });
      expect(entries.filter((e) => (e.changes as { roomCapacity?: { from: number } } | null)?.roomCapacity?.from === from)).toHaveLength(1);

      await page.goto(`${h.base}/admin/resources/AuditLog`);
      await expect.poll(() => page.locator('[data-testid="audit-summary"]').allTextContents(), { timeout: 30_000 }).toContain(expected);
      await page.screenshot({ path: join(RESULTS, `audit-list-${language}.png`), fullPage: true });

      await page.goto(`${h.base}/admin/resources/AuditLog/records/${entries[0]!.id}/show`);
      await expect.poll(() => page.textContent('[data-testid="audit-summary"]'), { timeout: 30_000 }).toBe(expected);
      expect(await page.locator('[data-testid="audit-raw"]').count()).toBe(0);
      await page.click('[data-testid="audit-raw-toggle"]');
      expect(JSON.parse((await page.textContent('[data-testid="audit-raw"]')) ?? "")).toEqual({ roomCapacity: { from, to } });
      await page.screenshot({ path: join(RESULTS, `audit-entry-${language}.png`), fullPage: true });
      await page.close();
    });
  }
});
