// End to end at the door: Chromium (playwright-core, Debian's /usr/bin/chromium) against
// the BUILT site and a real PostgreSQL. The camera is Chromium's fake capture device fed
// with a .y4m video made from the ticket's own QR PNG (as tickets.get serves it), so the
// scanner decodes a real code from a real video stream.
import { join } from "node:path";
import { generateToken, hashToken } from "@sipario/api";
import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, describeViolations, PHONE, seriousViolations } from "./support/browser.ts";
import { writeY4m } from "./support/camera.ts";
import { ensureResultsDir, startSite, type Site } from "./support/site.ts";

const realPg = await requireRealPostgres();

async function issueTicket(db: TestDatabase, performanceId: string, name: string, partySize: number) {
  const reservation = await factories.reservation(db.prisma, { performanceId, name, partySize, status: "confirmed", confirmedAt: new Date() });
  const token = generateToken();
  await db.prisma.reservationToken.create({
    data: { reservationId: reservation.id, purpose: "check_in", tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 24 * 3_600_000) },
  });
  return { reservation, token };
}

describe.skipIf(!realPg)("staff at the door (Chromium, fake camera)", () => {
  let db: TestDatabase;
  let site: Site;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let password: string;
  let email: string;
  let performanceId: string;
  let scanned: Awaited<ReturnType<typeof issueTicket>>;
  let typed: Awaited<ReturnType<typeof issueTicket>>;
  let searched: Awaited<ReturnType<typeof issueTicket>>;
  let linked: Awaited<ReturnType<typeof issueTicket>>;
  let flaky: Awaited<ReturnType<typeof issueTicket>>;
  let otherDoor: Awaited<ReturnType<typeof issueTicket>>;
  const shots = ensureResultsDir();
  const shot = (name: string) => page.screenshot({ path: join(shots, `staff-${name}.png`) });
  const status = () => page.locator("section.status");

  beforeAll(async () => {
    db = await createTestDatabase();
    const staff = await factories.user(db.prisma, { role: "staff", name: "Anna Porta", email: "anna.porta@example.org" });
    password = staff.password;
    email = staff.user.email;
    const show = await factories.show(db.prisma, { title: "Il giardino dei ciliegi" });
    const perf = await factories.performance(db.prisma, { showId: show.id, startsAt: new Date() });
    performanceId = perf.id;
    scanned = await issueTicket(db, perf.id, "Giulia Verdi", 3);
    typed = await issueTicket(db, perf.id, "Paolo Neri", 2);
    searched = await issueTicket(db, perf.id, "Mario Rossi", 4);
    linked = await issueTicket(db, perf.id, "Sofia Bruno", 1);
    flaky = await issueTicket(db, perf.id, "Luca Galli", 2);
    otherDoor = await issueTicket(db, perf.id, "Elena Costa", 5);

    // Real rate limits: the sign-in test below runs into the per-account one.
    site = await startSite({ DATABASE_URL: db.url!, BACKGROUND_JOBS: "false", RATE_LIMITS: "true" });

    // The QR exactly as the visitor's ticket shows it.
    const res = await fetch(`${site.origin}/api/trpc/tickets.get?input=${encodeURIComponent(JSON.stringify({ token: scanned.token }))}`);
    const body = (await res.json()) as { result: { data: { qr: { pngDataUrl: string } } } };
    const png = PNG.sync.read(Buffer.from(body.result.data.qr.pngDataUrl.split(",")[1]!, "base64"));
    const video = join(shots, "staff-ticket-qr.y4m");
    writeY4m(video, png);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`],
    });
    context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-GB" });
    await context.grantPermissions(["camera"], { origin: site.origin });
    page = await context.newPage();
    // A step that hangs should fail on its own, naming itself, well inside the test timeout
    // (a CI run once spent the whole 60 s of the first test somewhere unknown).
    page.setDefaultTimeout(15_000);
    page.setDefaultNavigationTimeout(20_000);
    // Warm the freshly started server (route modules, database pool, argon2) before the
    // first test: the first request of a new process is the slow one.
    for (const path of ["/staff/login", "/theme.css"]) expect((await fetch(`${site.origin}${path}`)).status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await db?.drop();
  });

  it("the scanner needs a sign-in; a wrong password is refused clearly", async () => {
    await page.goto(`${site.origin}/staff/scan`);
    expect(new URL(page.url()).pathname).toBe("/staff/login");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/staff/scan");
    await page.fill("#email", email);
    await page.fill("#password", "not-the-password");
    await page.click("button[type=submit]");
    await expect.poll(() => page.locator("[role=alert]").getAttribute("data-reason")).toBe("invalid_credentials");
    expect(await page.inputValue("#password")).toBe("");
    await shot("login-error");
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it("staff signs in and lands on the scanner with today's door numbers", async () => {
    await page.fill("#email", email);
    await page.fill("#password", password);
    await Promise.all([page.waitForURL("**/staff/scan"), page.click("button[type=submit]")]);
    await expect.poll(() => page.locator("[data-testid=stats-to-arrive]").textContent()).toBe("17");
    expect(await page.locator("#performance").inputValue()).toBe(performanceId);
    await shot("scan-ready");
  });

  it("scans the QR with the camera, previews, confirms", async () => {
    await page.click("text=Start camera");
    await expect.poll(() => status().getAttribute("data-state"), { timeout: 40_000 }).toBe("preview");
    // Linux Chromium has no native BarcodeDetector: this is the iPhone/Firefox path.
    expect(await page.locator("video").getAttribute("data-engine")).toBe("zxing-wasm");
    const text = await status().innerText();
    expect(text).toContain("VALID");
    expect(text).toContain("3 people");
    expect(text).toContain("Il giardino dei ciliegi");
    await shot("scan-preview");
    await page.click("text=Confirm entry");
    await expect.poll(() => status().getAttribute("data-state")).toBe("done");
    expect(await status().innerText()).toContain("ENTRY OK");
    const row = await db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: scanned.reservation.id }, include: { checkedInBy: true } });
    expect(row).toMatchObject({ source: "qr_scan" });
    expect(row.checkedInBy.email).toBe(email);
    await expect.poll(() => page.locator("[data-testid=stats-in]").textContent(), { timeout: 10_000 }).toBe("3");
    await shot("scan-done");
  });

  it("scanning the same QR again shows ALREADY CHECKED IN, unmistakably", async () => {
    // A fresh page is a second door: the code is read anew.
    await page.reload();
    await page.click("text=Start camera");
    await expect.poll(() => status().getAttribute("data-state"), { timeout: 40_000 }).toBe("refused");
    expect(await status().getAttribute("data-reason")).toBe("already_checked_in");
    const text = await status().innerText();
    expect(text).toContain("ALREADY CHECKED IN");
    expect(text).toContain("Anna Porta");
    // Colour-coded: the duplicate card is not the green of a valid ticket.
    const bg = await status().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe("rgb(255, 143, 0)");
    expect(await db.prisma.checkIn.count({ where: { reservationId: scanned.reservation.id } })).toBe(1);
    await shot("scan-duplicate");
    await page.click("text=Stop");
    await page.click("section.status >> text=Next");
  });

  it("a QR reader that cannot download says so (not 'camera denied'), and typing still works", async () => {
    // A phone that never kept the reader: its own context, no service worker (whose cached
    // copy would otherwise answer, as it should once the scanner has been opened online).
    const fresh = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      locale: "en-GB",
      serviceWorkers: "block",
      storageState: await context.storageState(),
    });
    await fresh.grantPermissions(["camera"], { origin: site.origin });
    const door = await fresh.newPage();
    await door.route("**/*.wasm", (route) => route.abort("internetdisconnected"));
    await door.goto(`${site.origin}/staff/scan`);
    await door.click("text=Start camera");
    const problem = door.locator("[data-problem]");
    await expect.poll(() => problem.count(), { timeout: 25_000 }).toBe(1);
    expect(await problem.getAttribute("data-problem")).toBe("reader");
    expect(await problem.innerText()).toContain("The QR reader did not load");
    // The camera was released, not left running behind the message.
    expect(await door.locator("video").evaluate((v) => (v as HTMLVideoElement).srcObject)).toBeNull();
    await door.click("#tab-code");
    await door.fill("#ticket-code", generateToken());
    await door.click("#panel-code >> text=Check");
    await expect.poll(() => door.locator("section.status").getAttribute("data-reason")).toBe("unknown_token");
    await fresh.close();
  });

  it("manual entry accepts the ticket URL, refuses junk, and a repeat is a duplicate", async () => {
    await page.click("#tab-code");
    await page.fill("#ticket-code", "hello world");
    await page.click("#panel-code >> text=Check");
    await expect.poll(() => page.locator("#code-error").isVisible()).toBe(true);
    await page.fill("#ticket-code", `${site.origin}/tickets/${typed.token}`);
    await page.click("#panel-code >> text=Check");
    await expect.poll(() => status().getAttribute("data-state")).toBe("preview");
    expect(await status().innerText()).toContain("2 people");
    await shot("code-preview");
    await page.click("text=Confirm entry");
    await expect.poll(() => status().getAttribute("data-state")).toBe("done");
    await page.click("section.status >> text=Next");
    await page.fill("#ticket-code", typed.token);
    await page.click("#panel-code >> text=Check");
    await expect.poll(() => status().getAttribute("data-reason")).toBe("already_checked_in");
    await page.click("section.status >> text=Next");
    // An invalid token is red and says so.
    await page.fill("#ticket-code", generateToken());
    await page.click("#panel-code >> text=Check");
    await expect.poll(() => status().getAttribute("data-reason")).toBe("unknown_token");
    expect(await status().innerText()).toContain("INVALID TICKET");
    expect(await status().evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(198, 40, 40)");
    await shot("code-invalid");
    await page.click("section.status >> text=Next");
  });

  it("the door list is one tap away, filters from one letter, and lets in the visitor without a phone", async () => {
    await page.click("#tab-search");
    // The whole list of who has not arrived yet, without typing anything.
    await expect.poll(() => page.locator(".result").count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator(".result", { hasText: "Giulia Verdi" }).count()).toBe(0); // already in
    await page.fill("#search-q", "r");
    const result = page.locator(".result", { hasText: "Mario Rossi" });
    await expect.poll(() => result.count()).toBe(1);
    expect(await page.locator(".result", { hasText: "Sofia Bruno" }).count()).toBe(1); // "r" is in "Bruno"
    expect(await page.locator(".result", { hasText: "Elena Costa" }).count()).toBe(0);
    expect(await result.innerText()).toContain("× 4");
    await shot("search-results");
    await result.locator("text=Let in").click();
    await expect.poll(() => status().getAttribute("data-state")).toBe("done");
    expect(await status().innerText()).toContain("4 people");
    expect((await db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: searched.reservation.id } })).source).toBe("manual");
    await page.click("#panel-search >> text=Arrived");
    await expect.poll(() => result.innerText()).toContain("In");
    await expect.poll(() => page.locator("[data-testid=stats-in]").textContent(), { timeout: 10_000 }).toBe("9");
    expect(await page.locator("[data-testid=stats-to-arrive]").textContent()).toBe("8");
    await shot("search-done");
  });

  it("a confirm whose answer is lost can be retried: the retry reports the first check-in", async () => {
    await page.click("section.status >> text=Next");
    await page.click("#tab-code");
    await page.fill("#ticket-code", flaky.token);
    await page.click("#panel-code >> text=Check");
    await expect.poll(() => status().getAttribute("data-state")).toBe("preview");
    // The request reaches the server, but the venue network drops the answer.
    await page.route("**/api/trpc/checkin.confirm**", async (route) => {
      await route.fetch();
      await route.abort("connectionreset");
    });
    await page.click("text=Confirm entry");
    await expect.poll(() => status().getAttribute("data-state")).toBe("failed");
    expect(await status().innerText()).toContain("Network unreachable");
    expect(await db.prisma.checkIn.count({ where: { reservationId: flaky.reservation.id } })).toBe(1);
    await shot("confirm-lost");
    await page.unroute("**/api/trpc/checkin.confirm**");
    await page.click("section.status >> text=Retry");
    await expect.poll(() => status().getAttribute("data-state")).toBe("done");
    expect(await status().innerText()).toContain("You already recorded this a moment ago.");
    expect(await db.prisma.checkIn.count({ where: { reservationId: flaky.reservation.id } })).toBe(1);
    await page.click("section.status >> text=Next");
  });

  it("door numbers follow check-ins made at another door", async () => {
    // A second staff member at another entrance, through the same public API.
    const colleague = await factories.user(db.prisma, { role: "staff", name: "Door Two" });
    const login = await fetch(`${site.origin}/api/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: colleague.user.email, password: colleague.password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("sipario_session="))!
      .split(";")[0]!;
    const before = Number(await page.locator("[data-testid=stats-in]").textContent());
    const confirm = await fetch(`${site.origin}/api/trpc/checkin.confirm`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ token: otherDoor.token }),
    });
    expect(confirm.status).toBe(200);
    // No reload: the page polls every few seconds.
    await expect.poll(() => page.locator("[data-testid=stats-in]").textContent(), { timeout: 12_000 }).toBe(String(before + 5));
  });

  it("the scanner and sign-in pages have no serious accessibility violations", async () => {
    await page.click("#tab-camera");
    const scanViolations = await seriousViolations(page);
    expect(scanViolations, describeViolations(scanViolations)).toEqual([]);
  });

  it("a staff member opening a ticket link sees the check-in panel and can let the party in", async () => {
    await page.goto(`${site.origin}/tickets/${linked.token}`);
    const panel = page.locator(".checkin-panel");
    await expect.poll(() => panel.locator("section.status").getAttribute("data-state"), { timeout: 10_000 }).toBe("preview");
    expect(await panel.innerText()).toContain("1 person");
    await panel.scrollIntoViewIfNeeded();
    await shot("ticket-panel");
    await panel.locator("text=Confirm entry").click();
    await expect.poll(() => panel.locator("section.status").getAttribute("data-state")).toBe("done");
    expect((await db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: linked.reservation.id } })).source).toBe("qr_scan");
    await page.goto(`${site.origin}/staff/scan`);
  });

  it("a cross-site form post to the sign-in is refused (CSRF origin check)", async () => {
    const res = await fetch(`${site.origin}/staff/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ email, password }).toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("sipario_session="))).toBe(false);
  });

  it("signing out ends the session on the server", async () => {
    const mine = await db.prisma.session.count({ where: { user: { email } } });
    expect(mine).toBe(1);
    await Promise.all([page.waitForURL("**/staff/login"), page.click(".foot >> text=Sign out")]);
    expect(await db.prisma.session.count({ where: { user: { email } } })).toBe(0);
    await page.goto(`${site.origin}/staff/scan`);
    expect(new URL(page.url()).pathname).toBe("/staff/login");
  });

  it("too many sign-in attempts for one account get a clear wait message", async () => {
    // This phone signed in before, so it holds a device cookie: its own budget of five
    // failures (auth.service.ts); the sixth attempt is refused.
    let reason: string | null = null;
    for (let i = 0; i < 6 && reason !== "rate_limited"; i++) {
      await page.fill("#email", email);
      await page.fill("#password", `wrong-${i}-password`);
      await submitAndWaitForNewDocument(page);
      reason = await page.locator("[role=alert]").getAttribute("data-reason");
    }
    expect(reason).toBe("rate_limited");
    expect(await page.locator("[role=alert]").innerText()).toMatch(/Too many attempts\. Try again in \d+ minutes\./);
    // Even the right password is refused now.
    await page.fill("#email", email);
    await page.fill("#password", password);
    await submitAndWaitForNewDocument(page);
    expect(await page.locator("[role=alert]").getAttribute("data-reason")).toBe("rate_limited");
    expect(await db.prisma.session.count({ where: { user: { email } } })).toBe(0);
    await shot("login-rate-limited");
  });
});

/**
 * The sign-in form is a plain POST (no client-side enhancement), so each submit loads a new
 * document. Waiting for "networkidle" raced with it: it could return for the old document and
 * the test then read the previous attempt's alert. Waiting for the new document's
 * DOMContentLoaded reads this attempt's answer.
 */
async function submitAndWaitForNewDocument(page: Page) {
  const loaded = page.waitForEvent("domcontentloaded");
  await page.click("button[type=submit]");
  await loaded;
}
