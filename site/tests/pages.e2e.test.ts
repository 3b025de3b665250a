import { randomBytes } from "node:crypto";
import { confirmReservation, createReservation, type AppConfig } from "@sipario/api";
import { testConfig } from "@sipario/api/testing";
import { seed } from "@sipario/db";
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogues } from "../src/lib/i18n/index.ts";
import { describeViolations, launchBrowser, screenshots, seriousViolations } from "./support/browser.ts";
import { startMailbox, startSite, type Mailbox, type Site } from "./support/site.ts";

/**
 * Every page state a visitor can meet, in both languages: sold out, booking closed,
 * validation, each confirmation outcome, resend, company pages, 404s, security headers,
 * axe-core on each, and no raw message key anywhere.
 */

const SOLD_OUT = "00000000-0000-4000-8000-000000000306"; // Sei personaggi: 6 seats, 6 confirmed
const CLOSED = "00000000-0000-4000-8000-000000000305"; // Godot: booking disabled
/** The site's default PUBLIC_READ_CACHE_MS is 2 s; edits made outside it show within that. */
const ADMIN_EDIT_VISIBLE_WITHIN_MS = 5_000;

let db: TestDatabase;
let mailbox: Mailbox;
let site: Site;
let browser: Browser;
let it_: BrowserContext; // Italian, JavaScript on
let en_: BrowserContext; // English, JavaScript on
let noJs: BrowserContext; // Italian, JavaScript off
let config: AppConfig;
let small: { id: string; slug: string }; // 3 seats
let tight: { id: string }; // 2 seats, for "sold out while you were away"

beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db.prisma);
  mailbox = await startMailbox();
  site = await startSite({ DATABASE_URL: db.url!, SMTP_URL: mailbox.url });
  config = testConfig({ ORIGIN: site.origin });
  browser = await launchBrowser();
  it_ = await browser.newContext({ locale: "it-IT" });
  en_ = await browser.newContext({ locale: "en-GB" });
  noJs = await browser.newContext({ locale: "it-IT", javaScriptEnabled: false });
  const venue = await db.prisma.venue.findUniqueOrThrow({ where: { slug: "spazio-azionelab" } });
  const show = await factories.show(db.prisma, { title: "Prova aperta", slug: "prova-aperta", posterImage: "/posters/default.svg" });
  small = { id: (await factories.performance(db.prisma, { showId: show.id, venueId: venue.id, roomCapacity: 3 })).id, slug: show.slug };
  tight = await factories.performance(db.prisma, { showId: show.id, venueId: venue.id, roomCapacity: 2, startsAt: new Date(Date.now() + 72 * 3600_000) });
});

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await mailbox?.close();
  await db?.drop();
});

async function accessible(page: Page, name: string) {
  const violations = await seriousViolations(page);
  expect(violations, `${name}: ${describeViolations(violations)}`).toEqual([]);
}

const allKeys = Object.keys(catalogues.it);
/** A page shows no raw message key: a missing translation would render as its key. */
async function noRawKeys(page: Page, name: string) {
  const text = await page.locator("body").innerText();
  const leaked = allKeys.filter((key) => text.includes(key));
  expect(leaked, `${name} shows raw keys`).toEqual([]);
  expect(text).not.toMatch(/undefined|\[object Object\]|NaN/);
}

async function book(performanceId: string, email: string, partySize = 2) {
  return createReservation(db.prisma, config, { performanceId, name: "Test Visitor", email, partySize, locale: "it" });
}

describe("performance states", () => {
  it("shows sold out and booking closed on the show and booking pages, and refuses a forced POST", async () => {
    const page = await it_.newPage();
    await page.goto(`${site.origin}/shows/sei-personaggi`);
    const soldOut = page.locator(`li[data-performance="${SOLD_OUT}"]`);
    expect(await soldOut.getAttribute("data-availability")).toBe("sold_out");
    await expect(soldOut.textContent()).resolves.toContain("Tutto esaurito");
    expect(await soldOut.locator("a.button").count()).toBe(0);

    await page.goto(`${site.origin}/shows/aspettando-godot`);
    const closed = page.locator(`li[data-performance="${CLOSED}"]`);
    expect(await closed.getAttribute("data-availability")).toBe("closed");
    await expect(closed.textContent()).resolves.toContain("Prenotazioni chiuse");
    expect(await closed.locator("a.button").count()).toBe(0);

    await page.goto(`${site.origin}/book/${SOLD_OUT}`);
    await expect(page.locator("main h2").first().textContent()).resolves.toBe("Tutto esaurito");
    // No booking form (it posts to the page itself); the waiting list's form is offered instead.
    expect(await page.locator("form.form:not([action])").count()).toBe(0);
    expect(await page.locator(`form[action="/book/${SOLD_OUT}/waitlist"]`).count()).toBeGreaterThan(0);
    await accessible(page, "book sold out");
    await screenshots(page, "book-sold-out");

    await page.goto(`${site.origin}/book/${CLOSED}`);
    await expect(page.locator("main h2").first().textContent()).resolves.toBe("Prenotazioni chiuse");
    expect(await page.locator("form.form:not([action])").count()).toBe(0);
    await screenshots(page, "book-closed");

    // A hand-made POST to a closed performance: 409 and the closed message, no reservation.
    const res = await fetch(`${site.origin}/book/${CLOSED}`, {
      method: "POST",
      headers: { origin: site.origin, accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "Forced", email: "forced@example.org", partySize: "1" }),
    });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Non è più possibile prenotare questa replica.");
    expect(await db.prisma.reservation.count({ where: { email: "forced@example.org" } })).toBe(0);
    await page.close();
  });
});

describe("booking form validation", () => {
  for (const js of [true, false]) {
    it(`shows each error next to its field and keeps the values (JavaScript ${js ? "on" : "off"})`, async () => {
      const page = await (js ? it_ : noJs).newPage();
      await page.goto(`${site.origin}/book/${small.id}`);
      await page.getByLabel("Nome e cognome").fill("Anna Gallo");
      await page.getByLabel("Email", { exact: true }).fill("not-an-email");
      await page.getByLabel("Numero di persone").fill("0");
      await page.getByLabel("Note").fill("Arrivo in ritardo");
      await page.getByRole("button", { name: "Prenota" }).click();
      await page.locator("#email-error").waitFor();
      await expect(page.locator("#email-error").textContent()).resolves.toContain("indirizzo email valido");
      await expect(page.locator("#partySize-error").textContent()).resolves.toContain("da 1 a 3.");
      expect(await page.locator("#name-error").count()).toBe(0);
      expect(await page.getByLabel("Email", { exact: true }).getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe("not-an-email");
      expect(await page.getByLabel("Nome e cognome").inputValue()).toBe("Anna Gallo");
      expect(await page.getByLabel("Note").inputValue()).toBe("Arrivo in ritardo");
      expect(page.url()).toBe(`${site.origin}/book/${small.id}`);
      if (js) {
        await accessible(page, "book with errors");
        await screenshots(page, "book-errors");
      }

      // More people than seats: the message says how many are left.
      await page.getByLabel("Email", { exact: true }).fill("anna@example.org");
      await page.getByLabel("Numero di persone").fill("5");
      await page.getByRole("button", { name: "Prenota" }).click();
      await page.locator("#partySize-error").filter({ hasText: "Sono rimasti solo 3 posti" }).waitFor();
      expect(await page.locator("#email-error").count()).toBe(0);
      expect(await db.prisma.reservation.count({ where: { email: "anna@example.org" } })).toBe(0);
      await page.close();
    });
  }

  it("an empty form names every required field", async () => {
    const res = await fetch(`${site.origin}/book/${small.id}`, {
      method: "POST",
      headers: { origin: site.origin, accept: "text/html", "content-type": "application/x-www-form-urlencoded", "accept-language": "en" },
      body: new URLSearchParams({ name: "", email: "", partySize: "" }),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="name-error">Enter your name.');
    expect(html).toContain('id="email-error">Enter a valid email address');
    expect(html).toContain('id="partySize-error">Choose a number of people from 1 to 3.');
  });
});

describe("confirmation outcomes", () => {
  it("explains a used, an expired, an unknown link and seats lost while away", async () => {
    const page = await it_.newPage();
    // Two pending bookings of 2 for a 2-seat performance: the first confirmation wins.
    const first = await book(tight.id, "first@example.org");
    const second = await book(tight.id, "second@example.org");
    await confirmReservation(db.prisma, config, first.confirmationToken);

    await page.goto(`${site.origin}/confirm/${second.confirmationToken}`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Conferma la prenotazione");
    await page.getByRole("button", { name: "Conferma la prenotazione" }).click();
    await page.locator('[data-state="sold_out"]').waitFor();
    await expect(page.locator("h1").textContent()).resolves.toBe("Posti esauriti nel frattempo");
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: second.reservationId } })).status).toBe("pending");
    await accessible(page, "confirm sold out");
    await screenshots(page, "confirm-sold-out");

    await page.goto(`${site.origin}/confirm/${first.confirmationToken}`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Prenotazione già confermata");
    expect(await page.getByRole("button", { name: "Conferma la prenotazione" }).count()).toBe(0);
    await screenshots(page, "confirm-used");

    const late = await book(small.id, "late@example.org", 1);
    await db.prisma.reservationToken.updateMany({
      where: { reservationId: late.reservationId },
      data: { expiresAt: new Date(Date.now() - 60_000) },
    });
    await page.goto(`${site.origin}/confirm/${late.confirmationToken}`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Link scaduto");
    expect(await page.getByRole("button", { name: "Conferma la prenotazione" }).count()).toBe(0);
    await accessible(page, "confirm expired");
    await screenshots(page, "confirm-expired");

    await page.goto(`${site.origin}/confirm/${randomBytes(32).toString("base64url")}`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Link non valido");
    await page.goto(`${site.origin}/confirm/short`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Link non valido");
    await accessible(page, "confirm unknown");
    await screenshots(page, "confirm-unknown");
    await page.close();
  });
});

describe("check your email", () => {
  it("says where the email went and resends it only after a minute, invalidating the old link", async () => {
    const page = await it_.newPage();
    const email = "resend@example.org";
    await page.goto(`${site.origin}/book/${small.id}`);
    await page.getByLabel("Nome e cognome").fill("Resend Test");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Numero di persone").fill("1");
    await page.getByRole("button", { name: "Prenota" }).click();
    await page.waitForURL(`${site.origin}/book/sent`);
    await expect(page.locator("main").textContent()).resolves.toContain(`Abbiamo inviato un link di conferma a ${email}.`);
    const firstMail = await mailbox.waitFor(email, (m) => /\/confirm\//.test(m.text ?? ""));
    const firstLink = firstMail.text!.match(/\/confirm\/[A-Za-z0-9_-]+/)![0];

    await page.getByRole("button", { name: "Invia di nuovo l'email" }).click();
    await page.getByText("Aspetta un minuto prima di chiedere un nuovo invio.").waitFor();

    // A minute later (moved back in time rather than waited for).
    const reservation = await db.prisma.reservation.findFirstOrThrow({ where: { email } });
    const past = new Date(Date.now() - 120_000);
    await db.prisma.emailOutbox.updateMany({ where: { reservationId: reservation.id }, data: { createdAt: past } });
    await db.prisma.reservationToken.updateMany({ where: { reservationId: reservation.id }, data: { createdAt: past } });
    await page.getByRole("button", { name: "Invia di nuovo l'email" }).click();
    await page.getByText("Fatto: ti abbiamo inviato un nuovo link.").waitFor();
    const secondMail = await mailbox.waitFor(email, (m) => /\/confirm\//.test(m.text ?? "") && !m.text!.includes(firstLink));
    expect(secondMail.text).toMatch(/\/confirm\/[A-Za-z0-9_-]+/);
    await accessible(page, "sent");

    await page.goto(`${site.origin}${firstLink}`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Link non valido");
    await page.close();
  });

  it("without a booking in this browser it says so", async () => {
    const page = await en_.newPage();
    const res = await page.goto(`${site.origin}/book/sent`);
    expect(res!.status()).toBe(200);
    await expect(page.locator("main").textContent()).resolves.toContain("We cannot find a recent booking from this browser.");
    await page.close();
  });
});

describe("company pages", () => {
  it("renders Markdown safely, in the visitor's language with an Italian fallback, menu in order", async () => {
    await db.prisma.page.create({
      data: {
        slug: "sicurezza",
        locale: "it",
        title: "Prova sicurezza",
        menuOrder: 9,
        body: "Testo **forte**.\n\n<script>window.hacked=1</script>\n\n[clic](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n[sito](https://example.org)",
      },
    });
    const page = await it_.newPage();
    // Written straight to the database, as the back-office would from its own process:
    // the site shows it once its public-read cache (PUBLIC_READ_CACHE_MS) has turned over.
    await expect.poll(async () => (await page.goto(`${site.origin}/sicurezza`))!.status(), { timeout: ADMIN_EDIT_VISIBLE_WITHIN_MS }).toBe(200);
    await expect(page.locator("main h1").textContent()).resolves.toBe("Prova sicurezza");
    expect(await page.locator(".prose strong").textContent()).toBe("forte");
    const html = await page.locator(".prose").innerHTML();
    expect(html).not.toContain("<script");
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("onerror");
    expect(await page.locator('.prose a[href="https://example.org"]').getAttribute("rel")).toBe("noopener noreferrer");
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();

    // The menu is cached on its own: it follows within the same TTL.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator("header nav a").allTextContents();
        },
        { timeout: ADMIN_EDIT_VISIBLE_WITHIN_MS },
      )
      .toEqual(["Spettacoli", "Chi siamo", "Contatti", "Come arrivare", "Privacy", "Prova sicurezza"]);

    const en = await en_.newPage();
    await en.goto(`${site.origin}/chi-siamo`);
    await expect(en.locator("main h1").textContent()).resolves.toBe("About us");
    await en.goto(`${site.origin}/sicurezza`); // no English version: the Italian one, marked as such
    expect(await en.locator("article").getAttribute("lang")).toBe("it");
    await accessible(en, "company page");
    await screenshots(en, "company-page");

    const missing = await page.goto(`${site.origin}/nessuna-pagina`);
    expect(missing!.status()).toBe(404);
    await page.close();
    await en.close();
  });
});

describe("typing before the page's JavaScript has loaded", () => {
  it("keeps what the visitor typed when the page hydrates (slow phone)", async () => {
    const page = await it_.newPage();
    // A slow connection: the app's scripts arrive 1.5 s after the HTML.
    await page.route("**/_app/immutable/**/*.js", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    await page.goto(`${site.origin}/book/${small.id}`, { waitUntil: "domcontentloaded" });
    expect(await page.evaluate(() => "hydrated" in document.documentElement.dataset)).toBe(false);
    await page.fill("#name", "Giulia Lenta");
    await page.fill("#email", "giulia.lenta@example.org");
    await page.fill("#partySize", "2");
    await page.fill("#notes", "Arriviamo in bici");
    expect(await page.evaluate(() => "hydrated" in document.documentElement.dataset)).toBe(false);
    // Hydration sets every value={...} field to its expression (empty here); the values
    // typed before it must survive.
    await page.waitForFunction(() => "hydrated" in document.documentElement.dataset, undefined, { timeout: 15_000 });
    expect(await page.inputValue("#name")).toBe("Giulia Lenta");
    expect(await page.inputValue("#email")).toBe("giulia.lenta@example.org");
    expect(await page.inputValue("#partySize")).toBe("2");
    expect(await page.inputValue("#notes")).toBe("Arriviamo in bici");
    await page.close();
  });
});

describe("shared rendering of public pages", () => {
  it("anonymous visitors share one rendering for a moment; a signed-in staff member never gets it", async () => {
    const path = `/shows/${small.slug}`;
    const anonymous = () => fetch(`${site.origin}${path}`, { headers: { "accept-language": "it" } });

    // The shared copy lives 2 s: an attempt counts only if both requests fit well inside it.
    let checked = false;
    for (let attempt = 0; attempt < 5 && !checked; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2_100));
      const first = await anonymous();
      const firstHtml = await first.text();
      const renderedAt = Date.now();
      const second = await anonymous();
      if (Date.now() - renderedAt > 1_000) continue;
      expect(second.headers.get("x-cache")).toBe("hit");
      expect(await second.text()).toBe(firstHtml);
      // Shared body, but each answer is still its own: request id, security headers.
      expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
      expect(second.headers.get("content-security-policy")).toBe(first.headers.get("content-security-policy"));
      expect(firstHtml).not.toContain("Area staff");
      checked = true;
    }
    expect(checked, "no attempt fitted inside the shared copy's lifetime").toBe(true);

    const staff = await factories.user(db.prisma, { role: "staff", name: "Porta Due" });
    const login = await fetch(`${site.origin}/api/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: staff.user.email, password: staff.password }),
    });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("sipario_session="))!
      .split(";")[0]!;
    await anonymous(); // a shared copy exists now, without the staff link ...
    const own = await fetch(`${site.origin}${path}`, { headers: { "accept-language": "it", cookie } });
    expect(own.headers.get("x-cache")).toBeNull();
    expect(await own.text()).toContain("Area staff");
    expect(own.headers.get("cache-control")).toBe("private, no-store");
    // ... and the staff member's page is never shared back to visitors.
    expect(await (await anonymous()).text()).not.toContain("Area staff");
  });
});

describe("shared answers of the public catalogue API", () => {
  it("shares anonymous catalogue queries for a moment, never other procedures or signed-in callers", async () => {
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${site.origin}${path}`, { headers });
    const shows = "/api/trpc/catalogue.shows";
    let checked = false;
    for (let attempt = 0; attempt < 5 && !checked; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2_100));
      const first = await get(shows);
      const firstBody = await first.text();
      const answeredAt = Date.now();
      const second = await get(shows);
      if (Date.now() - answeredAt > 1_000) continue;
      expect(first.status).toBe(200);
      expect(second.headers.get("x-cache")).toBe("hit");
      expect(await second.text()).toBe(firstBody);
      expect(JSON.parse(firstBody).result.data.items.length).toBeGreaterThan(0);
      checked = true;
    }
    expect(checked, "no attempt fitted inside the shared copy's lifetime").toBe(true);

    // auth.me answers per caller: never shared, even anonymously.
    await get("/api/trpc/auth.me");
    expect((await get("/api/trpc/auth.me")).headers.get("x-cache")).toBeNull();
    // A batch that mixes in a non-catalogue procedure is not shared either.
    const mixed = `/api/trpc/catalogue.shows,auth.me?batch=1&input=${encodeURIComponent("{}")}`;
    await get(mixed);
    expect((await get(mixed)).headers.get("x-cache")).toBeNull();
    // Invalid input is answered per request (400), never from a shared copy.
    const invalid = `/api/trpc/catalogue.show?input=${encodeURIComponent(JSON.stringify({ slug: 42 }))}`;
    expect((await get(invalid)).status).toBe(400);
    const again = await get(invalid);
    expect([again.status, again.headers.get("x-cache")]).toEqual([400, null]);
  });
});

describe("errors, languages and headers", () => {
  const pages = () => [
    "/",
    "/shows",
    "/shows/le-serve",
    `/book/${small.id}`,
    `/book/${CLOSED}`,
    "/book/sent",
    "/chi-siamo",
    "/come-arrivare",
    "/privacy",
    `/confirm/${randomBytes(32).toString("base64url")}`,
    "/tickets/lost",
    "/venues/spazio-azionelab",
  ];

  it("every page renders in Italian and English with no raw message key and no serious axe violation", async () => {
    for (const [context, lang] of [
      [it_, "it"],
      [en_, "en"],
    ] as const) {
      const page = await context.newPage();
      for (const path of pages()) {
        const res = await page.goto(`${site.origin}${path}`);
        expect(res!.status(), path).toBeLessThan(400);
        expect(await page.locator("html").getAttribute("lang"), path).toBe(lang);
        await noRawKeys(page, `${lang} ${path}`);
        await accessible(page, `${lang} ${path}`);
      }
      await page.close();
    }
  });

  it("404 and other error pages are in the site's style, in both languages, without internals", async () => {
    const cases: [string, number, string, string][] = [
      ["/no-such-page", 404, "Pagina non trovata", "Page not found"],
      ["/shows/no-such-show", 404, "Pagina non trovata", "Page not found"],
      ["/book/not-a-uuid", 404, "Pagina non trovata", "Page not found"],
      ["/Strange_Path/deeper", 404, "Pagina non trovata", "Page not found"],
      [`/tickets/${randomBytes(32).toString("base64url")}`, 404, "Biglietto non trovato", "Ticket not found"],
    ];
    for (const [context, lang] of [
      [it_, "it"],
      [en_, "en"],
    ] as const) {
      const page = await context.newPage();
      for (const [path, status, itTitle, enTitle] of cases) {
        const res = await page.goto(`${site.origin}${path}`);
        expect(res!.status(), path).toBe(status);
        await expect(page.locator("main h1").textContent()).resolves.toBe(lang === "it" ? itTitle : enTitle);
        expect(await page.locator("header.masthead").count()).toBe(1);
        const body = await page.locator("body").innerText();
        expect(body).not.toMatch(/\bat \w+ \(|Error:|stack|TRPCError|DomainError/);
        await noRawKeys(page, `${lang} ${path}`);
        if (path === "/no-such-page") {
          await accessible(page, `${lang} 404`);
          await screenshots(page, `404-${lang}`);
        }
      }
      await page.close();
    }
  });

  it("the language switcher works with and without JavaScript and is remembered", async () => {
    for (const context of [await browser.newContext({ locale: "it-IT" }), await browser.newContext({ locale: "it-IT", javaScriptEnabled: false })]) {
      const page = await context.newPage();
      await page.goto(`${site.origin}/shows`);
      await expect(page.locator("main h1").textContent()).resolves.toBe("Spettacoli");
      await page.getByRole("button", { name: "EN English" }).click();
      await page.waitForFunction(() => document.documentElement.lang === "en").catch(() => {});
      await page.locator("main h1", { hasText: "Shows" }).waitFor();
      expect(page.url()).toBe(`${site.origin}/shows`);
      await page.goto(`${site.origin}/`);
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      expect(await page.getByRole("button", { name: "EN English" }).getAttribute("aria-pressed")).toBe("true");
      await context.close();
    }
  });

  it("sends the security headers and the pages run under the CSP without a single violation", async () => {
    const res = await fetch(`${site.origin}/`);
    const csp = res.headers.get("content-security-policy")!;
    // 'wasm-unsafe-eval' is for the scanner's WebAssembly QR reader; eval() stays forbidden.
    // Hashes, not nonces: public pages are shared between visitors for a moment.
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain("nonce-");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    // The camera is for the door scanner alone (security.e2e.test.ts checks /staff/scan).
    expect(res.headers.get("permissions-policy")).toContain("camera=()");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    const ticket = await fetch(`${site.origin}/tickets/${randomBytes(32).toString("base64url")}`);
    expect(ticket.headers.get("referrer-policy")).toBe("same-origin");
    expect(ticket.headers.get("cache-control")).toBe("private, no-store");

    const api = await fetch(`${site.origin}/api/trpc/catalogue.shows`);
    expect(api.status).toBe(200);
    expect(api.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const shows = (await api.json()) as { result: { data: { items: { slug: string }[] } } };
    expect(shows.result.data.items.map((s) => s.slug)).toContain("le-serve");

    // A fresh page with no test tooling injected: hydration works and nothing is blocked.
    const context = await browser.newContext({ locale: "it-IT" });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (msg) => msg.type() === "error" && problems.push(msg.text()));
    page.on("pageerror", (err) => problems.push(err.message));
    for (const path of ["/", "/shows", "/shows/le-serve", `/book/${small.id}`, "/chi-siamo"]) {
      await page.goto(`${site.origin}${path}`);
      await page.waitForLoadState("networkidle");
    }
    // Client-side navigation proves the scripts ran under the CSP.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await page.locator("header nav").getByRole("link", { name: "Spettacoli" }).click();
    await page.waitForURL(`${site.origin}/shows`);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(problems, problems.join("\n")).toEqual([]);
    await context.close();
  });

  it("takes the company's name and colour from the settings, refusing a malformed colour", async () => {
    await db.prisma.siteSetting.update({ where: { key: "company.name" }, data: { value: "Compagnia Prova" } });
    await db.prisma.siteSetting.update({ where: { key: "theme.accent" }, data: { value: "#1d4e89" } });
    const page = await it_.newPage();
    // Back-office edits reach the site within its public-read cache's TTL.
    await expect
      .poll(
        async () => {
          await page.goto(`${site.origin}/`);
          return page.locator("main h1").textContent();
        },
        { timeout: ADMIN_EDIT_VISIBLE_WITHIN_MS },
      )
      .toBe("Compagnia Prova");
    const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--accent").trim());
    expect(accent).toBe("#1d4e89");
    await db.prisma.siteSetting.update({ where: { key: "theme.accent" }, data: { value: "red;}body{display:none" } });
    const themeCss = async () => (await fetch(`${site.origin}/theme.css`)).text();
    await expect.poll(themeCss, { timeout: ADMIN_EDIT_VISIBLE_WITHIN_MS }).toBe("html:root{--accent:#b3261e;}\n");
    await db.prisma.siteSetting.update({ where: { key: "company.name" }, data: { value: "AzioneLab" } });
    await db.prisma.siteSetting.update({ where: { key: "theme.accent" }, data: { value: "#b3261e" } });
    await expect
      .poll(async () => (await (await fetch(`${site.origin}/`)).text()).includes("Compagnia Prova"), { timeout: ADMIN_EDIT_VISIBLE_WITHIN_MS })
      .toBe(false);
    await page.close();
  });

  it("answers health and readiness", async () => {
    expect(await (await fetch(`${site.origin}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${site.origin}/readyz`);
    expect(ready.status).toBe(200);
    const body = await ready.text();
    expect(JSON.parse(body)).toMatchObject({ status: "ready", checks: { database: { ok: true }, migrations: { ok: true }, smtp: { ok: true } } });
    expect(body).not.toContain("postgres");
    expect(body).not.toContain("smtp://");
  });
});
