import { cancelTicket, confirmReservation, createReservation, type AppConfig } from "@sipario/api";
import { testConfig } from "@sipario/api/testing";
import { seed } from "@sipario/db";
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeViolations, launchBrowser, PHONE, screenshots, seriousViolations } from "./support/browser.ts";
import { startMailbox, startSite, type Mailbox, type Site } from "./support/site.ts";

/**
 * Issue 18: every page in both languages, checked through the translated fields
 * themselves (docs/adr/0016), not by guessing a language: a text whose translation
 * exists must never show on the other language's page, and a text shown only in the
 * other language (a fallback) must carry that language in a `lang` attribute.
 */

type Locale = "it" | "en";
interface Pair {
  it: string;
  en: string;
}

let db: TestDatabase;
let mailbox: Mailbox;
let site: Site;
let browser: Browser;
let config: AppConfig;
let ticketToken: string;
let cancelledToken: string;
let confirmToken: string;
const LE_SERVE_NEXT = "00000000-0000-4000-8000-000000000302";

beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db.prisma);
  // A show written only in Italian: the English pages fall back to it, marked lang="it".
  const venue = await db.prisma.venue.findUniqueOrThrow({ where: { slug: "spazio-azionelab" } });
  const untranslated = await factories.show(db.prisma, {
    title: "Prova aperta del laboratorio",
    slug: "prova-aperta",
    summary: "Una serata di studio aperta al pubblico.",
    posterImage: "/posters/default.svg",
  });
  await factories.performance(db.prisma, { showId: untranslated.id, venueId: venue.id, roomCapacity: 30 });
  mailbox = await startMailbox();
  site = await startSite({ DATABASE_URL: db.url!, SMTP_URL: mailbox.url });
  config = testConfig({ ORIGIN: site.origin });
  const book = (email: string) =>
    createReservation(db.prisma, config, { performanceId: LE_SERVE_NEXT, name: "Giulia Rossi", email, partySize: 2, locale: "it" });
  const kept = await book("kept@example.org");
  ticketToken = (await confirmReservation(db.prisma, config, kept.confirmationToken)).ticketToken;
  const dropped = await book("dropped@example.org");
  cancelledToken = (await confirmReservation(db.prisma, config, dropped.confirmationToken)).ticketToken;
  await cancelTicket(db.prisma, cancelledToken, config);
  confirmToken = (await book("pending@example.org")).confirmationToken;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await mailbox?.close();
  await db?.drop();
});

/** Every translated field in the database, as it/en pairs. */
async function translatedPairs(): Promise<Pair[]> {
  const shows = await db.prisma.show.findMany({ where: { isPublished: true } });
  const venues = await db.prisma.venue.findMany();
  const performances = await db.prisma.performance.findMany();
  const settings = await db.prisma.siteSetting.findMany();
  const setting = (key: string) => settings.find((s) => s.key === key)?.value ?? "";
  const pairs: Pair[] = [
    ...shows.flatMap((s) => [
      { it: s.title, en: s.titleEn },
      { it: s.summary, en: s.summaryEn },
      { it: s.description, en: s.descriptionEn },
      { it: s.credits, en: s.creditsEn },
      { it: s.ageGuidance, en: s.ageGuidanceEn },
    ]),
    ...venues.flatMap((v) => [
      { it: v.name, en: v.nameEn },
      { it: v.notes, en: v.notesEn },
      { it: v.accessInfo, en: v.accessInfoEn },
      { it: v.transport, en: v.transportEn },
    ]),
    ...performances.map((p) => ({ it: p.note, en: p.noteEn })),
    ...["company.tagline", "company.description"].map((key) => ({ it: setting(key), en: setting(`${key}.en`) })),
  ];
  return pairs.map((p) => ({ it: p.it.trim(), en: p.en.trim() })).filter((p) => p.it !== p.en);
}

/** The first line of a text, short enough to sit in one element once rendered. */
const probe = (text: string) => text.split("\n")[0]!.slice(0, 40);

interface Mixed {
  text: string;
  lang: string | null;
}

/**
 * On a `locale` page: texts of the other language that appear where they should not.
 * A pair with both texts must show only the page's; a one-language text must sit under
 * an element whose `lang` is its own.
 */
async function mixedTexts(page: Page, locale: Locale, pairs: Pair[]): Promise<Mixed[]> {
  const other: Locale = locale === "it" ? "en" : "it";
  const forbidden = pairs.filter((p) => p[locale] && p[other] && !p[locale].includes(probe(p[other]))).map((p) => probe(p[other]));
  const fallbacks = pairs.filter((p) => !p[locale] && p[other]).map((p) => probe(p[other]));
  return page.evaluate(
    ({ forbidden, fallbacks, other }) => {
      const found: { text: string; lang: string | null }[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (!element || element.closest("script, style, [hidden]")) continue;
        const text = node.textContent ?? "";
        const lang = element.closest("[lang]")?.getAttribute("lang") ?? null;
        for (const f of forbidden) if (text.includes(f)) found.push({ text: f, lang });
        for (const f of fallbacks) if (text.includes(f) && lang !== other) found.push({ text: f, lang });
      }
      return found;
    },
    { forbidden, fallbacks, other },
  );
}

describe("every page in both languages", () => {
  for (const locale of ["it", "en"] as const) {
    it(`shows translated texts in ${locale} only, or marked with their own language`, async () => {
      const pairs = await translatedPairs();
      const context = await browser.newContext({ locale: locale === "it" ? "it-IT" : "en-GB", viewport: PHONE });
      const page = await context.newPage();
      const shows = await db.prisma.show.findMany({ where: { isPublished: true }, select: { slug: true } });
      const venues = await db.prisma.venue.findMany({ select: { slug: true } });
      const paths = [
        "/",
        "/shows",
        ...shows.map((s) => `/shows/${s.slug}`),
        ...venues.map((v) => `/venues/${v.slug}`),
        `/book/${LE_SERVE_NEXT}`,
        "/chi-siamo",
        `/confirm/${confirmToken}`,
        `/tickets/${ticketToken}`,
        `/tickets/${ticketToken}/cancel`,
        `/tickets/${cancelledToken}`,
      ];
      for (const path of paths) {
        const response = await page.goto(`${site.origin}${path}`);
        expect(response!.status(), path).toBeLessThan(path === `/tickets/${cancelledToken}` ? 411 : 400);
        expect(await page.locator("html").getAttribute("lang"), path).toBe(locale);
        expect(await mixedTexts(page, locale, pairs), `${locale} ${path} mixes languages`).toEqual([]);
      }
      // The fallback is really exercised: the Italian-only show is on the English list, marked.
      if (locale === "en") {
        await page.goto(`${site.origin}/shows`);
        expect(await page.locator('a[lang="it"]', { hasText: "Prova aperta del laboratorio" }).count()).toBe(1);
      }
      await context.close();
    });
  }
});

describe("show page on a phone", () => {
  for (const locale of ["it", "en"] as const) {
    it(`puts the next date and its booking button in the first viewport (${locale})`, async () => {
      const context = await browser.newContext({ locale: locale === "it" ? "it-IT" : "en-GB", viewport: PHONE });
      const page = await context.newPage();
      await page.goto(`${site.origin}/shows/le-serve`);
      const button = page.getByTestId("book-bar").getByRole("link", { name: locale === "it" ? "Prenota" : "Book" });
      const box = await button.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
      expect(await button.getAttribute("href")).toBe(`/book/${LE_SERVE_NEXT}`);
      // The show facts visitors look for.
      await expect(page.getByTestId("running-time").textContent()).resolves.toBe("1 h 25 min");
      const accessible = await seriousViolations(page);
      expect(accessible, describeViolations(accessible)).toEqual([]);
      await page.screenshot({ path: `${process.cwd()}/test-results/screenshots/show-phone-first-viewport-${locale}.png` });
      await button.click();
      await page.waitForURL(`${site.origin}/book/${LE_SERVE_NEXT}`);
      await context.close();
    });
  }
});

describe("venue, ticket and small things", () => {
  it("the venue page gives address, notes, access, transport and an OpenStreetMap link, no embedded map", async () => {
    const page = await browser.newPage({ locale: "it-IT" });
    await page.goto(`${site.origin}/venues/teatro-dellorologio`);
    const text = await page.locator("main").innerText();
    for (const expected of ["Via dei Filippini 17/A", "Ingresso dal cortile.", "Accesso senza gradini", "Bus 40 e 64"]) expect(text).toContain(expected);
    expect(await page.locator('a[href^="https://www.openstreetmap.org/search?query="]').count()).toBe(1);
    expect(await page.locator("iframe").count()).toBe(0);
    const accessible = await seriousViolations(page);
    expect(accessible, describeViolations(accessible)).toEqual([]);
    await screenshots(page, "venue");
    await page.close();
  });

  it("a cancelled ticket says when, in the site's style, with the show's other dates", async () => {
    for (const [locale, words] of [
      ["it-IT", "Questa prenotazione è stata annullata il"],
      ["en-GB", "This booking was cancelled on"],
    ] as const) {
      const page = await browser.newPage({ locale });
      const response = await page.goto(`${site.origin}/tickets/${cancelledToken}`);
      expect(response!.status()).toBe(410);
      await expect(page.getByTestId("cancelled-on").textContent()).resolves.toContain(words);
      expect(await page.locator('a[href="/shows/le-serve#dates-heading"]').count()).toBe(1);
      expect(await page.locator("header.masthead").count()).toBe(1);
      const accessible = await seriousViolations(page);
      expect(accessible, describeViolations(accessible)).toEqual([]);
      await screenshots(page, `ticket-cancelled-${locale}`);
      await page.close();
    }
  });

  it("the calendar event lasts the show's running time, and a Google Calendar link sits next to it", async () => {
    const ics = await (await fetch(`${site.origin}/tickets/${ticketToken}/calendar.ics`)).text();
    expect(ics).toMatch(/DURATION:PT(1H25M|85M)/);
    const page = await browser.newPage({ locale: "en-GB" });
    await page.goto(`${site.origin}/tickets/${ticketToken}`);
    const google = await page.getByTestId("google-calendar").getAttribute("href");
    expect(google).toMatch(/^https:\/\/calendar\.google\.com\/calendar\/render\?/);
    expect(google).not.toContain(ticketToken);
    expect(new URL(google!).searchParams.get("text")).toBe("The Maids");
    await page.close();
  });

  it("a lost ticket: one email with the tickets, the same answer for any address, no token in the page", async () => {
    for (const [locale, subject] of [
      ["it-IT", "I tuoi biglietti"],
      ["en-GB", "Your tickets"],
    ] as const) {
      const page = await browser.newPage({ locale, viewport: PHONE });
      await page.goto(`${site.origin}/`);
      await page
        .locator("footer")
        .getByRole("link", { name: locale === "it-IT" ? "Hai perso il biglietto?" : "Lost your ticket?" })
        .click();
      await page.waitForURL(`${site.origin}/tickets/lost`);
      await page.getByLabel("Email").fill("kept@example.org");
      await page
        .getByRole("button")
        .filter({ hasText: locale === "it-IT" ? "Mandami i biglietti" : "Send me my tickets" })
        .click();
      await page.getByTestId("lost-sent").waitFor();
      expect(await page.locator("main").innerHTML()).not.toMatch(/\/tickets\/[A-Za-z0-9_-]{43}/);
      const answered = await page.locator("main").innerText();
      const accessible = await seriousViolations(page);
      expect(accessible, describeViolations(accessible)).toEqual([]);
      await screenshots(page, `lost-ticket-${locale}`);
      const mail = await mailbox.waitFor("kept@example.org", (m) => m.subject === subject);
      expect(mail.text).toMatch(new RegExp(`${site.origin}/tickets/[A-Za-z0-9_-]{43}`));
      expect(mail.text).toContain(locale === "it-IT" ? "Gentile Giulia," : "Dear Giulia,");
      // The captured message, rendered as a mail client would, narrow and wide: nothing overflows.
      const preview = await browser.newPage({ javaScriptEnabled: false });
      for (const width of [320, 800]) {
        await preview.setViewportSize({ width, height: 900 });
        await preview.setContent(String(mail.html), { waitUntil: "domcontentloaded" });
        expect(await preview.evaluate(() => document.documentElement.scrollWidth), `email at ${width}px`).toBeLessThanOrEqual(width);
        await preview.screenshot({ path: `${process.cwd()}/test-results/screenshots/email-lost-${locale}-${width}.png`, fullPage: true });
      }
      await preview.close();

      // An address without bookings gets the same page.
      await page.goto(`${site.origin}/tickets/lost`);
      await page.getByLabel("Email").fill("nobody@example.org");
      await page
        .getByRole("button")
        .filter({ hasText: locale === "it-IT" ? "Mandami i biglietti" : "Send me my tickets" })
        .click();
      await page.getByTestId("lost-sent").waitFor();
      expect((await page.locator("main").innerText()).replaceAll("nobody@example.org", "X")).toBe(answered.replaceAll("kept@example.org", "X"));
      await page.close();
    }
  });

  it("the booking form names every wrong field at once", async () => {
    const res = await fetch(`${site.origin}/book/${LE_SERVE_NEXT}`, {
      method: "POST",
      headers: { origin: site.origin, accept: "text/html", "content-type": "application/x-www-form-urlencoded", "accept-language": "en" },
      body: new URLSearchParams({ name: "", email: "not-an-email", partySize: "50" }),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const field of ["name", "email", "partySize"]) expect(html).toContain(`id="${field}-error"`);
  });

  it("serves /favicon.ico and puts a space after the time's separator", async () => {
    const icon = await fetch(`${site.origin}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect((await icon.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const page = await browser.newPage({ locale: "it-IT" });
    await page.goto(`${site.origin}/`);
    const meta = await page.locator(".perf__meta").first().innerText();
    expect(meta).toMatch(/^\d{2}:\d{2} · \S/);
    await page.close();
  });
});
