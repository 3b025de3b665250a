import { seed } from "@sipario/db";
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import type { ParsedMail } from "mailparser";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./support/browser.ts";
import { startMailbox, startSite, type Mailbox, type Site } from "./support/site.ts";

/**
 * GDPR: no page of the site tells anyone else who is visiting it (no outside fonts,
 * scripts, images, analytics). Every page a visitor or a staff member can reach is opened
 * in Chromium, its forms are used for real (booking, confirmation, ticket, cancellation,
 * waiting list, staff sign-in), and every request each page makes is recorded: any to
 * another origin fails the test, naming the page and listing what it loaded.
 *
 * Also: every form that collects a visitor's personal data carries the privacy notice,
 * and its link opens the privacy page in the visitor's language.
 */

const SOLD_OUT = "00000000-0000-4000-8000-000000000306"; // seed: Sei personaggi, 6 of 6 seats taken

let db: TestDatabase;
let mailbox: Mailbox;
let site: Site;
let browser: Browser;
let bookable: { id: string; slug: string };

beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db.prisma);
  mailbox = await startMailbox();
  site = await startSite({ DATABASE_URL: db.url!, SMTP_URL: mailbox.url });
  browser = await launchBrowser();
  const show = await factories.show(db.prisma, { title: "Prova privacy", slug: "prova-privacy" });
  bookable = { id: (await factories.performance(db.prisma, { showId: show.id, roomCapacity: 20 })).id, slug: show.slug };
});

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await mailbox?.close();
  await db?.drop();
});

function linkIn(mail: ParsedMail, path: "waitlist" | "confirm"): string {
  const body = `${mail.text ?? ""}\n${typeof mail.html === "string" ? mail.html : ""}`;
  const match = body.match(new RegExp(`${site.origin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/${path}/[A-Za-z0-9_-]+`));
  if (!match) throw new Error(`no /${path}/ link in the email "${mail.subject}"`);
  return match[0];
}

/** Records, per named step, every request the page makes; requests elsewhere are cut after being recorded. */
async function recorder(context: BrowserContext) {
  await context.route("**/*", (route) => (new URL(route.request().url()).origin === site.origin ? route.continue() : route.abort()));
  const page = await context.newPage();
  const seen = new Map<string, string[]>();
  let current = "";
  page.on("request", (request) => seen.get(current)?.push(request.url()));
  return {
    page,
    seen,
    /** Names what the page does next; everything it requests from now on is charged to `name`. */
    step(name: string) {
      current = name;
      seen.set(name, []);
    },
    async visit(name: string, path: string) {
      this.step(name);
      const response = await page.goto(`${site.origin}${path}`);
      await page.waitForLoadState("networkidle");
      return response;
    },
  };
}

function expectNoOtherOrigin(seen: Map<string, string[]>) {
  const report = [...seen].map(([name, urls]) => `${name}:\n${urls.map((u) => `  ${u}`).join("\n")}`).join("\n");
  const foreign = [...seen].flatMap(([name, urls]) => urls.filter((u) => new URL(u).origin !== site.origin).map((u) => `${name}: ${u}`));
  expect(foreign, `requests to other origins (every request seen, per page, follows)\n${report}`).toEqual([]);
  for (const [name, urls] of seen) expect(urls.length, `${name} requested nothing: did it load?`).toBeGreaterThan(0);
}

async function settled(page: Page) {
  await page.waitForLoadState("networkidle");
}

describe("the site makes no request to another origin", () => {
  it("on every visitor page, through a booking, a ticket, a cancellation and the waiting list", async () => {
    const context = await browser.newContext({ locale: "it-IT" });
    const r = await recorder(context);
    const { page } = r;
    for (const [name, path] of [
      ["home", "/"],
      ["shows", "/shows"],
      ["show", `/shows/${bookable.slug}`],
      ["company page", "/chi-siamo"],
      ["privacy page", "/privacy"],
      ["booking form", `/book/${bookable.id}`],
      ["sold out, waiting-list form", `/book/${SOLD_OUT}`],
      ["waiting-list page", `/book/${SOLD_OUT}/waitlist`],
      ["lost ticket", "/tickets/lost"],
    ] as const) {
      const response = await r.visit(name, path);
      expect(response!.status(), name).toBe(200);
    }
    expect((await r.visit("not found", "/nessuna-pagina"))!.status()).toBe(404);

    // Booking → sent → confirm → ticket → cancel.
    const email = "privacy.visitatrice@example.org";
    await r.visit("booking form, again", `/book/${bookable.id}`);
    await page.fill("#name", "Ada Riservata");
    await page.fill("#email", email);
    await page.fill("#partySize", "2");
    r.step("booking sent");
    await page.locator("form.form button[type=submit]").click();
    await page.waitForURL(`${site.origin}/book/sent`);
    await settled(page);
    const confirmation = await mailbox.waitFor(email);
    await r.visit("confirmation page", new URL(linkIn(confirmation, "confirm")).pathname);
    r.step("ticket");
    await page.getByRole("button", { name: "Conferma la prenotazione" }).click();
    await page.waitForURL(/\/tickets\/[A-Za-z0-9_-]+$/);
    await page.getByTestId("ticket-qr").waitFor();
    await settled(page);
    const ticketPath = new URL(page.url()).pathname;
    await r.visit("ticket, reopened", ticketPath);
    await r.visit("cancel page", `${ticketPath}/cancel`);

    // Waiting list: join → sent → status page.
    const waiting = "privacy.attesa@example.org";
    await r.visit("waiting-list form, again", `/book/${SOLD_OUT}/waitlist`);
    const form = page.getByTestId("waitlist");
    await form.getByLabel("Nome e cognome").fill("Bruno Attesa");
    await form.getByLabel("Email", { exact: true }).fill(waiting);
    await form.getByLabel("Numero di persone").fill("1");
    r.step("waiting list sent");
    await form.getByRole("button", { name: "Entra in lista d'attesa" }).click();
    await page.waitForURL(`${site.origin}/waitlist/sent`);
    await settled(page);
    const verify = await mailbox.waitFor(waiting);
    await r.visit("waiting-list status", new URL(linkIn(verify, "waitlist")).pathname);

    expectNoOtherOrigin(r.seen);
    await context.close();
  }, 240_000);

  it("on the staff pages: sign-in, the scanner, sign-out", async () => {
    const staff = await factories.user(db.prisma, { role: "staff", name: "Porta Privacy" });
    const context = await browser.newContext({ locale: "it-IT" });
    const r = await recorder(context);
    const { page } = r;
    await r.visit("staff sign-in", "/staff/login");
    await page.fill("#email", staff.user.email);
    await page.fill("#password", staff.password);
    r.step("scanner");
    await page.locator("form button[type=submit]").click();
    await page.waitForURL(`${site.origin}/staff/scan`);
    await settled(page);
    await r.visit("scanner, reopened", "/staff/scan");
    await r.visit("sign-out page", "/staff/logout");
    expectNoOtherOrigin(r.seen);
    await context.close();
  }, 120_000);
});

describe("privacy notice", () => {
  it("sits on every form that collects personal data and links the privacy page in the visitor's language", async () => {
    for (const [locale, title, heading] of [
      ["it-IT", "Privacy", "Titolare del trattamento"],
      ["en-GB", "Privacy", "Data controller"],
    ] as const) {
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      await page.goto(`${site.origin}/book/${bookable.id}`);
      await expect(page.locator("form.form [data-testid=privacy-notice]").count()).resolves.toBe(1);
      await page.goto(`${site.origin}/book/${SOLD_OUT}`);
      const waitlistNotice = page.getByTestId("waitlist").getByTestId("privacy-notice");
      await expect(waitlistNotice.count()).resolves.toBe(1);
      await page.goto(`${site.origin}/tickets/lost`);
      await expect(page.locator("form.form [data-testid=privacy-notice]").count()).resolves.toBe(1);
      await page.goto(`${site.origin}/book/${SOLD_OUT}/waitlist`);
      await waitlistNotice.locator("a").click();
      await page.waitForURL(`${site.origin}/privacy`);
      await expect(page.locator("main h1").textContent()).resolves.toBe(title);
      const text = await page.locator(".prose").innerText();
      expect(text).toContain(heading);
      expect(text).toContain("Garante");
      expect(text).toContain("90");
      await context.close();
    }
  }, 120_000);
});
