import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeViolations, launchBrowser, PHONE, screenshots, seriousViolations } from "./support/browser.ts";
import { ensureResultsDir, startSite, type Site } from "./support/site.ts";

/**
 * A season's states on the built site, in Chromium at phone size, in both languages: a
 * performance not on sale yet says when booking opens (and the page turns into the form
 * by itself at that instant), a cancelled one says so, and the booking form words the
 * API's refusals (limit per person, not open yet) in the visitor's language.
 */
const HOUR = 3_600_000;
let db: TestDatabase;
let site: Site;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  site = await startSite({ DATABASE_URL: db.url!, MAX_SEATS_PER_EMAIL: "4", TIME_ZONE: "Europe/Rome" });
  browser = await launchBrowser();
  ensureResultsDir();
});
afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await db?.drop();
});

async function expectAccessible(page: Page, name: string) {
  const violations = await seriousViolations(page);
  expect(violations, `${name}: ${describeViolations(violations)}`).toEqual([]);
}

async function phonePage(locale: "it-IT" | "en-GB", javaScriptEnabled = true) {
  const context = await browser.newContext({ locale, viewport: PHONE, javaScriptEnabled, timezoneId: "Europe/Rome" });
  return { context, page: await context.newPage() };
}

describe("on-sale window on the site", () => {
  it("says when booking opens, in each language and the venue's time zone, on the show page and the booking page", async () => {
    // 10:00 in Rome on 1 March 2031 (CET).
    const opensAt = new Date("2031-03-01T09:00:00Z");
    const perf = await factories.performance(db.prisma, { startsAt: new Date("2031-03-20T19:30:00Z"), bookingOpensAt: opensAt, isBookingEnabled: true });
    const show = await db.prisma.show.findUniqueOrThrow({ where: { id: perf.showId } });
    for (const [locale, badge, text] of [
      ["en-GB", "Booking opens 1 Mar", "Booking opens on Saturday, 1 March 2031, 10:00."],
      ["it-IT", "Prenotabile dal 1 mar", "Le prenotazioni aprono sabato 1 marzo 2031, 10:00."],
    ] as const) {
      const { context, page } = await phonePage(locale);
      try {
        await page.goto(`${site.origin}/shows/${show.slug}`);
        const item = page.locator(`li[data-performance="${perf.id}"]`);
        expect(await item.getAttribute("data-availability")).toBe("not_open_yet");
        expect(await item.locator(".badge").textContent()).toBe(badge);
        expect(await item.locator("a.button").count()).toBe(0);

        await page.goto(`${site.origin}/book/${perf.id}`);
        expect(await page.getByTestId("not-open-yet").textContent()).toContain(text);
        expect(await page.locator("form.form").count()).toBe(0);
        await expectAccessible(page, `not open yet (${locale})`);
        await screenshots(page, `season-not-open-yet-${locale.slice(0, 2)}`);
      } finally {
        await context.close();
      }
    }
  });

  it("turns into the booking form by itself when booking opens", async () => {
    // Far enough ahead for the page to load first on a busy machine; the page then reloads its data at that instant.
    const perf = await factories.performance(db.prisma, { bookingOpensAt: new Date(Date.now() + 20_000), isBookingEnabled: true });
    const { context, page } = await phonePage("en-GB");
    try {
      await page.goto(`${site.origin}/book/${perf.id}`);
      await page.getByTestId("not-open-yet").waitFor();
      await expect.poll(() => page.locator("form.form").count(), { timeout: 60_000, interval: 500 }).toBe(1);
      expect(await page.getByTestId("not-open-yet").count()).toBe(0);
      expect(await page.getByTestId("seats").textContent()).toBe("50 seats left");
    } finally {
      await context.close();
    }
  });

  it("shows a cancelled performance as cancelled and offers no form", async () => {
    const perf = await factories.performance(db.prisma, { status: "cancelled", cancelledAt: new Date(), isBookingEnabled: false });
    const show = await db.prisma.show.findUniqueOrThrow({ where: { id: perf.showId } });
    const { context, page } = await phonePage("it-IT");
    try {
      await page.goto(`${site.origin}/shows/${show.slug}`);
      expect(await page.locator(`li[data-performance="${perf.id}"] .badge`).textContent()).toBe("Replica annullata");
      await page.goto(`${site.origin}/book/${perf.id}`);
      expect(await page.getByTestId("cancelled").textContent()).toContain("Questa replica è stata annullata.");
      expect(await page.locator("form.form").count()).toBe(0);
      await expectAccessible(page, "cancelled");
      await screenshots(page, "season-cancelled-it");
    } finally {
      await context.close();
    }
  });

  it("words the limit per person and a booking that is not open yet (the page was stale) in the visitor's language", async () => {
    const perf = await factories.performance(db.prisma, { isBookingEnabled: true });
    await factories.reservation(db.prisma, { performanceId: perf.id, email: "tanti@example.org", partySize: 3, status: "confirmed", confirmedAt: new Date() });
    for (const [locale, name, submit, message] of [
      ["en-GB", "Full name", "Book", "One email address can hold at most 4 seats for this performance."],
      ["it-IT", "Nome e cognome", "Prenota", "Con un indirizzo email si possono tenere al massimo 4 posti per questa replica."],
    ] as const) {
      const { context, page } = await phonePage(locale, false);
      try {
        await page.goto(`${site.origin}/book/${perf.id}`);
        await page.getByLabel(name).fill("Tanti Posti");
        await page.locator("#email").fill("tanti@example.org");
        await page.locator("#partySize").fill("2");
        await page.getByRole("button", { name: submit }).click();
        await page.waitForLoadState();
        expect(await page.locator("#form-errors").textContent()).toContain(message);
      } finally {
        await context.close();
      }
    }

    // The form was loaded while open; booking then moved to a later opening.
    const { context, page } = await phonePage("en-GB", false);
    try {
      await page.goto(`${site.origin}/book/${perf.id}`);
      await db.prisma.performance.update({ where: { id: perf.id }, data: { bookingOpensAt: new Date("2031-03-01T09:00:00Z") } });
      await page.getByLabel("Full name").fill("Presto");
      await page.locator("#email").fill("presto@example.org");
      await page.getByRole("button", { name: "Book" }).click();
      await page.waitForLoadState();
      // The refusal, or (when the page's data is already fresh) the notice: both name the opening.
      expect(await page.textContent("main, body")).toMatch(/(has not opened yet: it opens|Booking opens on) Saturday, 1 March 2031, 10:00\./);
    } finally {
      await context.close();
    }
    expect(await db.prisma.reservation.count({ where: { performanceId: perf.id } })).toBe(1);
  });
});
