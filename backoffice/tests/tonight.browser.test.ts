import { mkdirSync } from "node:fs";
import { join } from "node:path";
import axe from "axe-core";
import { factories } from "@sipario/db/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminTranslations, type AdminLanguage } from "../src/admin/locale.ts";
import { adminApi, launchBrowser, login, startBackoffice, type Harness, signInPage } from "./helpers.ts";

const RESULTS = join(import.meta.dirname, "..", "test-results", "tonight");

let h: Harness;
let browser: Browser;
let credentials: { email: string; password: string };
let tonightId: string;
let tomorrowId: string;
/** Seats booked by phone from the Tonight page so far (each run adds one party of 1). */
let bookedByPhone = 0;

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  h = await startBackoffice();
  const prisma = h.db.prisma;
  const { user, password } = await factories.user(prisma, { role: "admin", name: "Giulia Cassa" });
  credentials = { email: user.email, password };
  const show = await factories.show(prisma, { title: "Le serve", slug: "le-serve" });
  const venue = await factories.venue(prisma, { name: "Teatro Tordinona", slug: "tordinona" });
  // Started a minute ago: on today's local day (or in the grace hours after it) whatever the hour the test runs.
  const tonight = await factories.performance(prisma, { showId: show.id, venueId: venue.id, startsAt: new Date(Date.now() - 60_000), roomCapacity: 50 });
  const tomorrow = await factories.performance(prisma, {
    showId: show.id,
    venueId: venue.id,
    startsAt: new Date(Date.now() + 2 * 86_400_000),
    roomCapacity: 50,
  });
  tonightId = tonight.id;
  tomorrowId = tomorrow.id;
  const confirmed = { status: "confirmed" as const, confirmedAt: new Date() };
  const mario = await factories.reservation(prisma, { performanceId: tonight.id, partySize: 2, name: "Mario Bianchi", ...confirmed });
  await factories.reservation(prisma, { performanceId: tonight.id, partySize: 3, name: "Anna Verdi", ...confirmed });
  await factories.reservation(prisma, { performanceId: tonight.id, partySize: 1, name: "Zoe Neri", status: "pending" });
  await factories.reservation(prisma, { performanceId: tonight.id, partySize: 4, name: "Luca Rossi", status: "cancelled" });
  await factories.reservation(prisma, { performanceId: tomorrow.id, partySize: 2, name: "Vera Domani", ...confirmed });
  await prisma.checkIn.create({ data: { reservationId: mario.id, checkedInById: user.id, source: "manual", checkedInAt: new Date() } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const words = (language: AdminLanguage) =>
  (adminTranslations[language].components as Record<string, Record<string, unknown>>).Tonight as Record<string, string>;

async function signedIn(locale: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale, timezoneId: "Europe/Rome" });
  const page = await context.newPage();
  await signInPage(page, h.base, credentials);
  return page;
}

const figure = (page: Page, id: string) => page.locator(`[data-performance-id="${tonightId}"] [data-testid="${id}"]`).innerText();

interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations whose nodes are inside our page component (AdminJS's own chrome is not ours to fix). */
async function ourViolations(page: Page): Promise<{ ours: AxeResult[]; all: AxeResult[] }> {
  // Through the DevTools protocol: the back-office's CSP rightly refuses an injected <script>.
  await page.evaluate(axe.source);
  const all = (await page.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)`)) as AxeResult[];
  const ours: AxeResult[] = [];
  for (const v of all) {
    const nodes: AxeResult["nodes"] = [];
    for (const n of v.nodes) {
      const inside = await page.evaluate(`Boolean(document.querySelector(${JSON.stringify(n.target.join(" "))})?.closest('[data-testid="sipario-tonight"]'))`);
      if (inside) nodes.push(n);
    }
    if (nodes.length) ours.push({ ...v, nodes });
  }
  return { ours, all };
}

describe("the Tonight page in Chromium", () => {
  for (const [language, browserLocale] of [
    ["it", "it-IT"],
    ["en", "en-GB"],
  ] as const) {
    for (const viewport of [
      { width: 1366, height: 900 },
      { width: 1920, height: 1080 },
    ]) {
      const tag = `${language}-${viewport.width}x${viewport.height}`;
      it(`lists tonight with its counts, finds a party by one letter and books by phone (${tag})`, { timeout: 300_000 }, async () => {
        const w = words(language);
        const page = await signedIn(browserLocale, viewport);
        try {
          // The dashboard's first link leads to Tonight.
          const link = page.locator('[data-testid="dashboard-tonight-link"]');
          expect(await link.innerText()).toContain((adminTranslations[language].components as Record<string, Record<string, string>>).Dashboard!.tonightLink);
          await link.click();
          await page.waitForSelector('[data-testid="sipario-tonight"]', { timeout: 60_000 });
          expect(await page.locator("h2").first().innerText()).toContain(w.title);
          expect(await page.locator('[data-testid="tonight-updated"]').innerText()).toMatch(/\d\d:\d\d/);

          // Only today's performance; 50 seats, 5 confirmed (2 in, 3 to come) plus what was booked by phone.
          expect(await page.locator('[data-testid="tonight-performance"]').count()).toBe(1);
          expect(await page.locator(`[data-performance-id="${tomorrowId}"]`).count()).toBe(0);
          expect(await figure(page, "tonight-seats-left")).toBe(String(45 - bookedByPhone));
          expect(await figure(page, "tonight-arrived")).toBe("2");
          expect(await figure(page, "tonight-to-come")).toBe(String(3 + bookedByPhone));
          expect(await figure(page, "tonight-pending")).toBe("1");

          // The door list: confirmed parties only; one letter narrows it.
          const rows = page.locator('[data-testid="tonight-party"]');
          expect(await rows.count()).toBe(2 + bookedByPhone);
          await page.getByLabel(w.search!).fill("v");
          await expect.poll(() => rows.count()).toBe(1);
          expect(await rows.first().innerText()).toContain("Anna Verdi");
          // A booking code as the visitor reads it out: any case, without the dash.
          const { bookingCode } = await h.db.prisma.reservation.findFirstOrThrow({ where: { name: "Anna Verdi" } });
          await page.getByLabel(w.search!).fill(bookingCode.replace("-", "").slice(0, 5).toLowerCase());
          await expect.poll(() => rows.count()).toBe(1);
          expect(await rows.first().innerText()).toContain("Anna Verdi");
          await page.getByLabel(w.search!).fill("v");
          await page.screenshot({ path: join(RESULTS, `${tag}-search.png`), fullPage: true });

          const { ours, all } = await ourViolations(page);
          console.log(
            `axe ${tag}: ${all.length} violations on the page, ${ours.length} in the Tonight component: ${ours.map((v) => `${v.id} (${v.impact})`).join(", ") || "none"}`,
          );
          expect(ours.filter((v) => v.impact === "critical" || v.impact === "serious")).toEqual([]);

          // A phone booking, started from the Tonight page, with the performance already chosen.
          await page.locator(`[data-performance-id="${tonightId}"] [data-testid="tonight-phone-booking"]`).click();
          await page.waitForSelector('[data-testid="property-edit-name"]', { timeout: 60_000 });
          await expect.poll(() => page.locator('[data-testid="property-edit-performance"]').innerText()).toContain("Le serve");
          const caller = `Telefono ${tag}`;
          await page.fill('[data-testid="property-edit-name"] input', caller);
          await page.fill('[data-testid="property-edit-partySize"] input', "1");
          await page.screenshot({ path: join(RESULTS, `${tag}-phone-booking.png`), fullPage: true });
          await page.click('[data-testid="button-save"]');
          await expect.poll(() => h.db.prisma.reservation.count({ where: { name: caller } }), { timeout: 30_000 }).toBe(1);
          const booked = await h.db.prisma.reservation.findFirstOrThrow({ where: { name: caller } });
          expect(booked).toMatchObject({ performanceId: tonightId, status: "confirmed", source: "box_office", partySize: 1 });
          bookedByPhone += 1;

          await page.goto(`${h.base}/admin/pages/tonight`);
          await page.waitForSelector('[data-testid="tonight-party"]', { timeout: 60_000 });
          expect(await figure(page, "tonight-seats-left")).toBe(String(45 - bookedByPhone));
          expect(await figure(page, "tonight-to-come")).toBe(String(3 + bookedByPhone));
          await page.getByLabel(w.search!).fill("t");
          await expect.poll(() => page.locator('[data-testid="tonight-door-list"]').innerText()).toContain(caller);
          await page.screenshot({ path: join(RESULTS, `${tag}-after-phone-booking.png`), fullPage: true });
        } finally {
          await page.context().close();
        }
      });
    }
  }
});

describe("the Tonight page refreshes itself", () => {
  it("shows an arrival recorded elsewhere after its 30-second poll, without a reload", { timeout: 180_000 }, async () => {
    const page = await signedIn("it-IT", { width: 1366, height: 900 });
    try {
      // The page's timers run on a clock the test moves (no waiting, no wall-clock race).
      await page.clock.install();
      await page.goto(`${h.base}/admin/pages/tonight`);
      await page.waitForSelector('[data-testid="tonight-performance"]', { timeout: 60_000 });
      expect(await figure(page, "tonight-arrived")).toBe("2");
      const anna = await h.db.prisma.reservation.findFirstOrThrow({ where: { name: "Anna Verdi" } });
      const staff = await h.db.prisma.user.findFirstOrThrow({ where: { role: "admin" } });
      await h.db.prisma.checkIn.create({ data: { reservationId: anna.id, checkedInById: staff.id, source: "manual", checkedInAt: new Date() } });
      try {
        await page.clock.runFor(29_000);
        expect(await figure(page, "tonight-arrived")).toBe("2");
        await page.clock.runFor(2_000);
        await expect.poll(() => figure(page, "tonight-arrived")).toBe("5");
      } finally {
        await h.db.prisma.checkIn.delete({ where: { reservationId: anna.id } });
      }
    } finally {
      await page.context().close();
    }
  });
});

describe("the Tonight data endpoint", () => {
  it("needs a signed-in admin and checks its query", async () => {
    const anonymous = await adminApi(h.base, null).get("/pages/tonight");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/admin/login");

    const staff = await factories.user(h.db.prisma, { role: "staff", name: "Door Staff" });
    expect((await login(h.base, staff.user.email, staff.password)).cookie).toBeNull();

    const { cookie } = await login(h.base, credentials.email, credentials.password);
    const api = adminApi(h.base, cookie);
    const board = await api.get("/pages/tonight");
    expect(board.status).toBe(200);
    expect(board.json.performances.map((p: { id: string }) => p.id)).toEqual([tonightId]);
    expect(board.json.doorListFor).toBe(tonightId);
    // Never an email or phone on the page.
    expect(JSON.stringify(board.json)).not.toMatch(/@/);

    expect((await api.get(`/pages/tonight?performanceId=${tonightId}`)).status).toBe(200);
    expect((await api.get("/pages/tonight?performanceId=not-a-uuid")).status).toBe(400);
    expect((await api.get("/pages/tonight?other=1")).status).toBe(400);
    // Tomorrow's performance is not tonight's.
    expect((await api.get(`/pages/tonight?performanceId=${tomorrowId}`)).status).toBe(404);
    // Read-only: AdminJS routes a POST to the same handler.
    expect((await api.post("/pages/tonight")).status).toBe(400);
  });
});
