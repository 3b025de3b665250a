import { generateToken, hashToken } from "@sipario/api";
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import type { ParsedMail } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeViolations, launchBrowser, screenshots, seriousViolations } from "./support/browser.ts";
import { ensureResultsDir, startMailbox, startSite, type Mailbox, type Site } from "./support/site.ts";

/**
 * The waiting list in Chromium, on the built site with a real PostgreSQL and SMTP server:
 * a sold-out performance, join the list, verify from the email, a ticket holder cancels,
 * the offer email arrives, confirm it, get the ticket. With JavaScript and without.
 */

let db: TestDatabase;
let mailbox: Mailbox;
let site: Site;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  mailbox = await startMailbox();
  site = await startSite({ DATABASE_URL: db.url!, SMTP_URL: mailbox.url });
  browser = await launchBrowser();
  ensureResultsDir();
});

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await mailbox?.close();
  await db?.drop();
});

/** A sold-out performance (2 seats) whose one holder can cancel with the returned ticket token. */
async function soldOutPerformance(title: string) {
  const show = await factories.show(db.prisma, { title });
  const performance = await factories.performance(db.prisma, { showId: show.id, roomCapacity: 2 });
  const holder = await factories.reservation(db.prisma, { performanceId: performance.id, status: "confirmed", partySize: 2, confirmedAt: new Date() });
  const ticket = generateToken();
  await db.prisma.reservationToken.create({
    data: { reservationId: holder.id, purpose: "check_in", tokenHash: hashToken(ticket), expiresAt: new Date(Date.now() + 72 * 3_600_000) },
  });
  return { performance, ticket };
}

function linkIn(mail: ParsedMail, path: "waitlist" | "confirm"): string {
  const body = `${mail.text ?? ""}\n${typeof mail.html === "string" ? mail.html : ""}`;
  const match = body.match(new RegExp(`${site.origin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/${path}/[A-Za-z0-9_-]+`));
  if (!match) throw new Error(`no /${path}/ link in the email "${mail.subject}"`);
  return match[0];
}

async function cancelTicket(ticket: string) {
  const res = await fetch(`${site.origin}/api/trpc/tickets.cancel`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: site.origin },
    body: JSON.stringify({ token: ticket }),
  });
  expect(res.status).toBe(200);
}

async function expectAccessible(page: Page, name: string) {
  const violations = await seriousViolations(page);
  expect(violations, `${name}: ${describeViolations(violations)}`).toEqual([]);
}

describe("waiting list in the browser", () => {
  it("with JavaScript (Italian): sold out → join → verify → a holder cancels → offer → confirm → ticket", async () => {
    const { performance, ticket } = await soldOutPerformance("Attesa con JS");
    const context = await browser.newContext({ locale: "it-IT", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    const email = "lista.js@example.org";

    await page.goto(`${site.origin}/book/${performance.id}`);
    await page.getByText("Tutto esaurito").first().waitFor();
    const waitlist = page.getByTestId("waitlist");
    await expectAccessible(page, "sold out with waiting list");
    await screenshots(page, "waitlist-join");
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    await waitlist.getByLabel("Nome e cognome").fill("Lucia Attesa");
    await waitlist.getByLabel("Email", { exact: true }).fill(email);
    await waitlist.getByLabel("Numero di persone").fill("2");
    await waitlist.getByRole("button", { name: "Entra in lista d'attesa" }).click();
    await page.waitForURL(`${site.origin}/waitlist/sent`);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);

    const verify = await mailbox.waitFor(email, (m) => /lista d'attesa/i.test(m.subject ?? ""));
    expect(verify.subject).toMatch(/^Conferma l'iscrizione alla lista d'attesa/);
    const statusUrl = linkIn(verify, "waitlist");
    await page.goto(statusUrl);
    // Opening the link changed nothing.
    expect((await db.prisma.waitlistEntry.findFirstOrThrow({ where: { email } })).status).toBe("pending");
    await page.getByRole("button", { name: "Conferma l'iscrizione" }).click();
    await page.getByTestId("position").waitFor();
    await expect(page.getByTestId("position").textContent()).resolves.toContain("Posizione: 1");
    await expectAccessible(page, "waiting list status");
    await screenshots(page, "waitlist-status");

    await cancelTicket(ticket);
    const offer = await mailbox.waitFor(email, (m) => /^Posti per te/.test(m.subject ?? ""));
    await page.goto(linkIn(offer, "confirm"));
    await page.getByRole("button", { name: "Conferma la prenotazione" }).click();
    await page.waitForURL(/\/tickets\/[A-Za-z0-9_-]+$/);
    await page.getByTestId("ticket-qr").waitFor();
    expect((await db.prisma.waitlistEntry.findFirstOrThrow({ where: { email } })).status).toBe("booked");
    await mailbox.waitFor(email, (m) => /^Il tuo biglietto/.test(m.subject ?? ""));
    expect(problems).toEqual([]);
    await context.close();
  });

  it("without JavaScript (English): the party does not fit → join from the booking form → verify → offer → confirm → ticket", async () => {
    const { performance, ticket } = await soldOutPerformance("Waiting without JS");
    // One seat more than the holder's, so the booking form shows and a party of 2 does not fit.
    await db.prisma.performance.update({ where: { id: performance.id }, data: { roomCapacity: 3 } });
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
    const page = await context.newPage();
    const email = "list.nojs@example.org";

    await page.goto(`${site.origin}/book/${performance.id}`);
    await page.getByLabel("Full name").fill("Tom Waiting");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Number of people").fill("2");
    await page.getByRole("button", { name: "Book", exact: true }).click();
    await page.getByTestId("join-waitlist").waitFor();
    await page.getByRole("button", { name: "Join the waiting list for 2 people" }).click();
    await page.waitForURL(`${site.origin}/waitlist/sent`);

    const verify = await mailbox.waitFor(email, (m) => /waiting list/i.test(m.subject ?? ""));
    expect(verify.subject).toMatch(/^Confirm your place on the waiting list/);
    await page.goto(linkIn(verify, "waitlist"));
    await page.getByRole("button", { name: "Confirm my place" }).click();
    await expect(page.getByTestId("position").textContent()).resolves.toContain("Position: 1");
    await mailbox.waitFor(email, (m) => /^You are on the waiting list/.test(m.subject ?? ""));

    await cancelTicket(ticket);
    const offer = await mailbox.waitFor(email, (m) => /^Seats for you until \d\d:\d\d/.test(m.subject ?? ""));
    await page.goto(linkIn(offer, "waitlist"));
    await expect(page.locator("[data-status]").first().getAttribute("data-status")).resolves.toBe("offered");
    await page.goto(linkIn(offer, "confirm"));
    await page.getByRole("button", { name: /Confirm/ }).click();
    await page.waitForURL(/\/tickets\/[A-Za-z0-9_-]+$/);
    await page.getByTestId("ticket-qr").waitFor();
    expect((await db.prisma.waitlistEntry.findFirstOrThrow({ where: { email } })).status).toBe("booked");
    await context.close();
  });
});
