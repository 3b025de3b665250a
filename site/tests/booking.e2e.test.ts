import { seed } from "@sipario/db";
import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import jsQR from "jsqr";
import type { ParsedMail } from "mailparser";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeViolations, launchBrowser, screenshots, seriousViolations } from "./support/browser.ts";
import { ensureResultsDir, startMailbox, startSite, type Mailbox, type Site } from "./support/site.ts";

/**
 * The visitor's whole journey on the built site, a real PostgreSQL, a real SMTP server
 * and Chromium: browse, book, read the email, confirm, get a QR ticket that decodes to
 * its own URL, print it, cancel, and see the seats come back. Then the same without JS.
 */

const LE_SERVE_12_DAYS = "00000000-0000-4000-8000-000000000303"; // 128 seats
const GODOT_7_DAYS = "00000000-0000-4000-8000-000000000304"; // 40 seats

let db: TestDatabase;
let mailbox: Mailbox;
let site: Site;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db.prisma);
  mailbox = await startMailbox();
  // Info-level logs, so the test can check that no token or address is ever logged.
  site = await startSite({ DATABASE_URL: db.url!, SMTP_URL: mailbox.url, LOG_LEVEL: "info" });
  browser = await launchBrowser();
  ensureResultsDir();
});

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await mailbox?.close();
  await db?.drop();
});

function linkIn(mail: ParsedMail, path: "confirm" | "tickets"): string {
  const body = `${mail.text ?? ""}\n${typeof mail.html === "string" ? mail.html : ""}`;
  const match = body.match(new RegExp(`${site.origin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/${path}/[A-Za-z0-9_-]+`));
  if (!match) throw new Error(`no /${path}/ link in the email "${mail.subject}"`);
  return match[0];
}

async function seatsOnShowPage(page: Page, slug: string, performanceId: string): Promise<number> {
  await page.goto(`${site.origin}/shows/${slug}`);
  return Number(await page.locator(`li[data-performance="${performanceId}"]`).getAttribute("data-seats"));
}

async function decodeQr(page: Page): Promise<string> {
  const src = await page.getByTestId("ticket-qr").getAttribute("src");
  expect(src).toMatch(/^data:image\/png;base64,/);
  const png = PNG.sync.read(Buffer.from(src!.split(",")[1]!, "base64"));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error("the ticket QR code does not decode");
  return code.data;
}

async function expectAccessible(page: Page, name: string) {
  const violations = await seriousViolations(page);
  expect(violations, `${name}: ${describeViolations(violations)}`).toEqual([]);
}

/** Collects console errors and CSP violations, which a page must not produce. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(msg.text());
  });
  page.on("pageerror", (err) => problems.push(err.message));
  return problems;
}

describe("booking journey", () => {
  let context: BrowserContext;
  afterAll(() => context?.close());

  it("browse, book with JavaScript, confirm from the email, QR ticket, print, calendar, cancel, seats back", async () => {
    context = await browser.newContext({ locale: "it-IT", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems = watchConsole(page);
    const email = "giulia.e2e@example.org";

    // Home: the company and what is on next.
    const home = await page.goto(site.origin);
    expect(home!.status()).toBe(200);
    await expect(page.locator("h1").textContent()).resolves.toBe("AzioneLab");
    expect(await page.locator("html").getAttribute("lang")).toBe("it");
    await expectAccessible(page, "home");
    await screenshots(page, "home");

    await page.getByRole("link", { name: "Spettacoli" }).first().click();
    await page.waitForURL(`${site.origin}/shows`);
    await expectAccessible(page, "shows");
    await screenshots(page, "shows");

    const before = await seatsOnShowPage(page, "le-serve", LE_SERVE_12_DAYS);
    expect(before).toBe(128);
    await expectAccessible(page, "show");
    await screenshots(page, "show");

    await page.locator(`li[data-performance="${LE_SERVE_12_DAYS}"] a.button`).click();
    await page.waitForURL(`${site.origin}/book/${LE_SERVE_12_DAYS}`);
    await expectAccessible(page, "book");
    await screenshots(page, "book");

    // With JavaScript the form posts without a full reload: a marker on window survives.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.getByLabel("Nome e cognome").fill("Giulia Test");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Telefono").fill("+39 06 1234567");
    await page.getByLabel("Numero di persone").fill("3");
    await page.getByRole("button", { name: "Prenota" }).click();
    await page.waitForURL(`${site.origin}/book/sent`);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await expect(page.locator("main").textContent()).resolves.toContain(email);
    await expectAccessible(page, "sent");
    await screenshots(page, "sent");

    const reservation = await db.prisma.reservation.findFirstOrThrow({ where: { email } });
    expect(reservation).toMatchObject({ status: "pending", partySize: 3, locale: "it", phone: "+39 06 1234567" });

    // The email's link opens the confirm page; opening it changes nothing.
    const confirmMail = await mailbox.waitFor(email, (m) => /\/confirm\//.test(m.text ?? ""));
    const confirmLink = linkIn(confirmMail, "confirm");
    const confirmPage = await page.goto(confirmLink);
    expect(confirmPage!.headers()["referrer-policy"]).toBe("same-origin");
    await expect(page.locator("h1").textContent()).resolves.toBe("Conferma la prenotazione");
    await expect(page.locator("main").textContent()).resolves.toContain("3 persone");
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: reservation.id } })).status).toBe("pending");
    await expectAccessible(page, "confirm");
    await screenshots(page, "confirm");

    await page.getByRole("button", { name: "Conferma la prenotazione" }).click();
    await page.waitForURL(/\/tickets\/[A-Za-z0-9_-]+$/);
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: reservation.id } })).status).toBe("confirmed");

    // The QR encodes exactly this page's URL.
    const ticketUrl = page.url();
    expect(ticketUrl.startsWith(`${site.origin}/tickets/`)).toBe(true);
    expect(await decodeQr(page)).toBe(ticketUrl);
    await expect(page.getByTestId("party-size").textContent()).resolves.toBe("3");
    await expect(page.getByRole("button", { name: "Stampa il biglietto" })).toBeTruthy();
    expect(await page.getByRole("button", { name: "Stampa il biglietto" }).isVisible()).toBe(true);
    await expectAccessible(page, "ticket");
    await screenshots(page, "ticket");

    // The ticket email carries the same ticket URL.
    const ticketMail = await mailbox.waitFor(email, (m) => /\/tickets\//.test(m.text ?? ""));
    expect(linkIn(ticketMail, "tickets")).toBe(ticketUrl);

    // Back on "check your email", the page now knows the booking is confirmed.
    await page.goto(`${site.origin}/book/sent`);
    await page.locator('[data-status="confirmed"]').waitFor();
    expect(await page.getByRole("button", { name: "Invia di nuovo l'email" }).count()).toBe(0);
    await page.goto(ticketUrl);

    // Print layout: only the ticket, on exactly one A4 page.
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("header.masthead").isVisible()).toBe(false);
    expect(await page.locator("#cancel").isVisible()).toBe(false);
    expect(await page.getByTestId("ticket-qr").isVisible()).toBe(true);
    await page.screenshot({ path: `${ensureResultsDir()}/screenshots/ticket-print.png`, fullPage: true });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    expect(pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    await page.emulateMedia({ media: "screen" });

    // Add to calendar.
    const ics = await page.request.get(`${ticketUrl}/calendar.ics`);
    expect(ics.status()).toBe(200);
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    const icsText = await ics.text();
    expect(icsText).toContain("BEGIN:VEVENT");
    expect(icsText).toContain("Le serve");
    expect(icsText).not.toContain(email);

    expect(await seatsOnShowPage(page, "le-serve", LE_SERVE_12_DAYS)).toBe(before - 3);

    // Cancel, with a confirmation step.
    await page.goto(ticketUrl);
    await page.locator("#cancel a").click();
    await page.waitForURL(`${ticketUrl}/cancel`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Annullare la prenotazione?");
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: reservation.id } })).status).toBe("confirmed");
    await expectAccessible(page, "cancel");
    await screenshots(page, "cancel");
    await page.getByRole("button", { name: "Sì, annulla la prenotazione" }).click();
    await page.getByTestId("cancelled").waitFor();
    expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: reservation.id } })).status).toBe("cancelled");

    expect(await seatsOnShowPage(page, "le-serve", LE_SERVE_12_DAYS)).toBe(before);
    // Playwright's screenshots and axe inject <style> elements, which the CSP rightly
    // blocks; the pages' own CSP cleanliness is checked in pages.e2e.test.ts.
    const own = problems.filter((p) => !p.startsWith("Applying inline style violates"));
    expect(own, own.join("\n")).toEqual([]);

    // The server logged the journey without a single token or the visitor's address.
    const logs = site.logs.join("");
    expect(logs).toContain("reservation created");
    // Every request has its structured line, with the token in its path redacted.
    const requests = logs
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === "request");
    const ticketLine = requests.find((entry) => entry.route === "/tickets/[token]" && entry.method === "GET");
    expect(ticketLine).toMatchObject({ path: "/tickets/[token]", status: 200, requestId: expect.any(String), durationMs: expect.any(Number) });
    expect(requests.some((entry) => entry.route === "/confirm/[token]" && entry.method === "POST")).toBe(true);
    expect(logs).not.toContain("sipario_session=");
    for (const secret of [confirmLink.split("/confirm/")[1]!, ticketUrl.split("/tickets/")[1]!, email]) {
      expect(logs).not.toContain(secret);
    }

    // The cancelled ticket says so (410), and its QR is gone.
    const gone = await page.goto(ticketUrl);
    expect(gone!.status()).toBe(410);
    await expect(page.locator("h1").textContent()).resolves.toBe("Prenotazione annullata");
    expect(await page.getByTestId("ticket-qr").count()).toBe(0);
  });

  it("works the same with JavaScript disabled", async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
    try {
      const page = await noJs.newPage();
      const email = "marco.nojs@example.org";
      const before = await seatsOnShowPage(page, "aspettando-godot", GODOT_7_DAYS);
      expect(before).toBe(40);
      expect(await page.locator("html").getAttribute("lang")).toBe("en");

      await page.locator(`li[data-performance="${GODOT_7_DAYS}"] a.button`).click();
      await page.waitForURL(`${site.origin}/book/${GODOT_7_DAYS}`);
      await page.getByLabel("Full name").fill("Marco NoJS");
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("Number of people").fill("2");
      await page.getByLabel("Notes").fill("Wheelchair user");
      await page.getByRole("button", { name: "Book" }).click();
      await page.waitForURL(`${site.origin}/book/sent`);
      await expect(page.locator("main").textContent()).resolves.toContain(email);
      const reservation = await db.prisma.reservation.findFirstOrThrow({ where: { email } });
      expect(reservation).toMatchObject({ status: "pending", partySize: 2, locale: "en", notes: "Wheelchair user" });

      const mail = await mailbox.waitFor(email, (m) => /\/confirm\//.test(m.text ?? ""));
      await page.goto(linkIn(mail, "confirm"));
      await expect(page.locator("h1").textContent()).resolves.toBe("Confirm your booking");
      await page.getByRole("button", { name: "Confirm your booking" }).click();
      await page.waitForURL(/\/tickets\/[A-Za-z0-9_-]+$/);
      const ticketUrl = page.url();
      expect(await decodeQr(page)).toBe(ticketUrl);
      // No JavaScript, no print button (the browser's own Print works).
      expect(await page.getByRole("button", { name: "Print the ticket" }).count()).toBe(0);
      expect(await seatsOnShowPage(page, "aspettando-godot", GODOT_7_DAYS)).toBe(before - 2);

      await page.goto(`${ticketUrl}/cancel`);
      await page.getByRole("button", { name: "Yes, cancel my booking" }).click();
      await page.getByTestId("cancelled").waitFor();
      await expect(page.getByTestId("cancelled").textContent()).resolves.toContain("available again");
      expect(await seatsOnShowPage(page, "aspettando-godot", GODOT_7_DAYS)).toBe(before);
    } finally {
      await noJs.close();
    }
  });
});
