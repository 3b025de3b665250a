// The door with no network (ADR-0009), end to end: Chromium (playwright-core, Debian's
// /usr/bin/chromium) against the BUILT site and a real PostgreSQL, the camera fed with a
// real ticket QR. Two browser contexts are two doors (two phones, two staff members).
import { join } from "node:path";
import { generateToken, hashToken } from "@sipario/api";
import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, PHONE } from "./support/browser.ts";
import { writeY4m } from "./support/camera.ts";
import { ensureResultsDir, startSite, type Site } from "./support/site.ts";

const realPg = await requireRealPostgres();

async function issueTicket(db: TestDatabase, performanceId: string, name: string, partySize: number, status: "confirmed" | "cancelled" = "confirmed") {
  const reservation = await factories.reservation(db.prisma, { performanceId, name, partySize, status, confirmedAt: new Date() });
  const token = generateToken();
  await db.prisma.reservationToken.create({
    data: { reservationId: reservation.id, purpose: "check_in", tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 24 * 3_600_000) },
  });
  return { reservation, token };
}

describe.skipIf(!realPg)("the door keeps working offline (Chromium, fake camera, two doors)", () => {
  let db: TestDatabase;
  let site: Site;
  let browser: Browser;
  const doors: { context: BrowserContext; page: Page }[] = [];
  let performanceId: string;
  const staff: { email: string; password: string }[] = [];
  let camera: Awaited<ReturnType<typeof issueTicket>>; // the QR the fake camera shows
  let typed: Awaited<ReturnType<typeof issueTicket>>;
  let cancelled: Awaited<ReturnType<typeof issueTicket>>;
  let otherShow: Awaited<ReturnType<typeof issueTicket>>;
  let notYet: Awaited<ReturnType<typeof issueTicket>>;
  const shots = ensureResultsDir();
  const status = (page: Page) => page.locator("section.status");
  const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `door-offline-${name}.png`) });

  async function openDoor(index: number): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-GB" });
    await context.grantPermissions(["camera"], { origin: site.origin });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.setDefaultNavigationTimeout(30_000);
    doors[index] = { context, page };
    await page.goto(`${site.origin}/staff/login?next=/staff/scan`);
    await page.fill("#email", staff[index]!.email);
    await page.fill("#password", staff[index]!.password);
    await Promise.all([page.waitForURL("**/staff/scan"), page.click("button[type=submit]")]);
    // Online: the service worker is installed and the manifest is on the phone.
    await expect.poll(() => page.locator(".staff-app").getAttribute("data-offline-ready"), { timeout: 40_000 }).toBe("true");
    return page;
  }

  async function typeCode(page: Page, token: string) {
    await page.click("#tab-code");
    await page.fill("#ticket-code", token);
    await page.click("#panel-code >> text=Check");
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const name of ["Anna Porta", "Bruno Varco"]) {
      const s = await factories.user(db.prisma, { role: "staff", name });
      staff.push({ email: s.user.email, password: s.password });
    }
    const show = await factories.show(db.prisma, { title: "Sei personaggi" });
    const perf = await factories.performance(db.prisma, { showId: show.id, startsAt: new Date() });
    performanceId = perf.id;
    const other = await factories.performance(db.prisma, { showId: (await factories.show(db.prisma, { title: "La locandiera" })).id, startsAt: new Date() });
    camera = await issueTicket(db, perf.id, "Giulia Verdi", 3);
    typed = await issueTicket(db, perf.id, "Paolo Neri", 2);
    cancelled = await issueTicket(db, perf.id, "Carla Sala", 1, "cancelled");
    otherShow = await issueTicket(db, other.id, "Dario Fo", 2);
    notYet = await issueTicket(db, perf.id, "Elena Costa", 4);

    site = await startSite({ DATABASE_URL: db.url!, BACKGROUND_JOBS: "false", RATE_LIMITS: "true" });
    const res = await fetch(`${site.origin}/api/trpc/tickets.get?input=${encodeURIComponent(JSON.stringify({ token: camera.token }))}`);
    const body = (await res.json()) as { result: { data: { qr: { pngDataUrl: string } } } };
    const video = join(shots, "door-offline-qr.y4m");
    writeY4m(video, PNG.sync.read(Buffer.from(body.result.data.qr.pngDataUrl.split(",")[1]!, "base64")));
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`],
    });
    for (const path of ["/staff/login", "/theme.css"]) expect((await fetch(`${site.origin}${path}`)).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await db?.drop();
  });

  it("door 1 opens the scanner online; with no network, a reload still loads it", async () => {
    const page = await openDoor(0);
    expect(await page.locator("[data-testid=stats-to-arrive]").textContent()).toBe("9"); // 3 + 2 + 4
    await shot(page, "online-ready");
    // Door 2 downloads its list too, then loses the network (the second entrance, in the cellar).
    const door2 = await openDoor(1);
    await doors[1]!.context.setOffline(true);
    await expect.poll(() => door2.locator("[data-testid=door-network]").getAttribute("data-online")).toBe("false");

    await doors[0]!.context.setOffline(true);
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker(), "the page came from the phone's copy").toBe(true);
    await expect.poll(() => page.locator("[data-testid=door-network]").getAttribute("data-online")).toBe("false");
    await expect.poll(() => page.locator("[data-testid=door-ready]").getAttribute("data-ready")).toBe("true");
    await expect.poll(() => page.locator("[data-testid=stats-to-arrive]").textContent()).toBe("9");
    await shot(page, "offline-reloaded");
  }, 180_000);

  it("offline, door 1 scans: valid (camera), the same ticket again, cancelled, other performance, unknown", async () => {
    const page = doors[0]!.page;
    await page.click("text=Start camera");
    await expect.poll(() => status(page).getAttribute("data-state"), { timeout: 40_000 }).toBe("preview");
    expect(await status(page).getAttribute("data-offline")).toBe("true");
    expect(await status(page).innerText()).toContain("VALID");
    expect(await status(page).innerText()).toContain("3 people");
    await shot(page, "offline-valid");
    await page.click("text=Confirm entry");
    await expect.poll(() => status(page).getAttribute("data-state")).toBe("done");
    expect(await status(page).innerText()).toContain("Saved on this phone");
    await page.click("text=Stop");
    await page.click("section.status >> text=Scan next");
    await expect.poll(() => page.locator("[data-testid=door-queued]").getAttribute("data-count")).toBe("1");
    expect(await page.locator("[data-testid=stats-in]").textContent()).toBe("3");

    // The same ticket again: already in (here, a moment ago), in the duplicate's orange.
    await typeCode(page, camera.token);
    await expect.poll(() => status(page).getAttribute("data-reason")).toBe("already_checked_in");
    expect(await status(page).getAttribute("data-offline")).toBe("true");
    expect(await status(page).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(255, 143, 0)");
    await shot(page, "offline-duplicate");
    await page.click("section.status >> text=Scan next");

    await typeCode(page, typed.token);
    await expect.poll(() => status(page).getAttribute("data-state")).toBe("preview");
    await page.click("text=Confirm entry");
    await expect.poll(() => status(page).getAttribute("data-state")).toBe("done");
    await page.click("section.status >> text=Scan next");

    await typeCode(page, cancelled.token);
    await expect.poll(() => status(page).getAttribute("data-reason")).toBe("reservation_not_confirmed");
    expect(await status(page).innerText()).toContain("BOOKING CANCELLED");
    expect(await status(page).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(198, 40, 40)");
    await shot(page, "offline-cancelled");
    await page.click("section.status >> text=Scan next");

    await typeCode(page, otherShow.token);
    await expect.poll(() => status(page).getAttribute("data-reason")).toBe("wrong_performance");
    expect(await status(page).innerText()).toContain("La locandiera");
    await page.click("section.status >> text=Scan next");

    await typeCode(page, generateToken());
    await expect.poll(() => status(page).getAttribute("data-reason")).toBe("unknown_token");
    await page.click("section.status >> text=Scan next");

    expect(await page.locator("[data-testid=stats-in]").textContent()).toBe("5");
    expect(await page.locator("[data-testid=door-queued]").getAttribute("data-count")).toBe("2");
    // Nothing reached the server yet.
    expect(await db.prisma.checkIn.count()).toBe(0);
    // The queue survives a reload with no network.
    await page.reload();
    await expect.poll(() => page.locator("[data-testid=door-queued]").getAttribute("data-count")).toBe("2");
    await expect.poll(() => page.locator("[data-testid=stats-in]").textContent()).toBe("5");
    await shot(page, "offline-queued");
  }, 120_000);

  it("door 2, also offline, admits one of the same tickets a little later", async () => {
    const page = doors[1]!.page;
    await typeCode(page, typed.token);
    await expect.poll(() => status(page).getAttribute("data-state")).toBe("preview");
    expect(await status(page).getAttribute("data-offline")).toBe("true");
    await page.click("text=Confirm entry");
    await expect.poll(() => status(page).getAttribute("data-state")).toBe("done");
    await page.click("section.status >> text=Scan next");
    expect(await page.locator("[data-testid=door-queued]").getAttribute("data-count")).toBe("1");
  });

  it("back online, door 1's queue syncs: the check-ins are on the server, timed when scanned", async () => {
    const page = doors[0]!.page;
    await doors[0]!.context.setOffline(false);
    await expect.poll(() => page.locator("[data-testid=door-queued]").getAttribute("data-count"), { timeout: 20_000 }).toBe("0");
    await expect.poll(() => page.locator("[data-testid=door-network]").getAttribute("data-online")).toBe("true");
    const rows = await db.prisma.checkIn.findMany({ include: { checkedInBy: true, reservation: true } });
    expect(rows.map((r) => [r.reservation.name, r.checkedInBy.name]).sort()).toEqual([
      ["Giulia Verdi", "Anna Porta"],
      ["Paolo Neri", "Anna Porta"],
    ]);
    expect(await db.prisma.doorScan.count()).toBe(2);
    expect(await page.locator("[data-testid=stats-in]").textContent()).toBe("5");
    await shot(page, "synced");
  }, 60_000);

  it("door 2 comes back: its admission of the same ticket is a conflict, shown on both doors", async () => {
    const page = doors[1]!.page;
    await doors[1]!.context.setOffline(false);
    await expect.poll(() => page.locator("[data-testid=door-queued]").getAttribute("data-count"), { timeout: 20_000 }).toBe("0");
    const conflicts = page.locator("[data-testid=door-conflicts]");
    await expect.poll(() => conflicts.count(), { timeout: 15_000 }).toBe(1);
    expect(await conflicts.innerText()).toContain("Paolo Neri");
    expect(await conflicts.innerText()).toContain("Anna Porta");
    expect(await conflicts.innerText()).toContain("Bruno Varco");
    await shot(page, "conflict-door2");
    // Still one check-in for the ticket: the earliest scan (door 1's).
    const row = await db.prisma.checkIn.findUniqueOrThrow({ where: { reservationId: typed.reservation.id }, include: { checkedInBy: true } });
    expect(row.checkedInBy.name).toBe("Anna Porta");
    expect(await db.prisma.checkIn.count({ where: { reservationId: typed.reservation.id } })).toBe(1);
    // Door 1 learns it on its next refresh.
    const door1 = doors[0]!.page;
    await expect.poll(() => door1.locator("[data-testid=door-conflicts]").count(), { timeout: 15_000 }).toBe(1);
    await shot(door1, "conflict-door1");
  }, 60_000);

  it("signing out refuses while scans are unsent, unless insisted; then the phone keeps nothing", async () => {
    const page = doors[1]!.page;
    await doors[1]!.context.setOffline(true);
    await expect.poll(() => page.locator("[data-testid=door-network]").getAttribute("data-online"), { timeout: 10_000 }).toBe("false");
    const late = await issueTicket(db, performanceId, "Late Comer", 1); // not in door 2's list: refused
    await typeCode(page, late.token);
    await expect.poll(() => status(page).getAttribute("data-reason")).toBe("unknown_token");
    await page.click("section.status >> text=Scan next");
    // Door 2 refreshed its list while online: the ticket door 1 let in is "already in" here too.
    await typeCode(page, camera.token);
    await expect.poll(() => status(page).getAttribute("data-reason")).toBe("already_checked_in");
    expect(await status(page).innerText()).toContain("Anna Porta");
    await page.click("section.status >> text=Scan next");
    await typeCode(page, notYet.token);
    await expect.poll(() => status(page).getAttribute("data-state")).toBe("preview");
    await page.click("text=Confirm entry");
    await page.click("section.status >> text=Scan next");
    await page.click(".foot >> text=Sign out");
    await expect.poll(() => page.locator("[role=alertdialog]").count()).toBe(1);
    expect(await page.locator("[role=alertdialog]").innerText()).toContain("1 entries have not been sent");
    await shot(page, "logout-refused");
    expect(new URL(page.url()).pathname).toBe("/staff/scan");
    await doors[1]!.context.setOffline(false);
    await Promise.all([page.waitForURL("**/staff/login"), page.click("text=Sign out anyway")]);
    const left = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open("sipario-door");
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const count = (store: string) =>
        new Promise<number>((resolve) => {
          const r = db.transaction(store).objectStore(store).count();
          r.onsuccess = () => resolve(r.result);
        });
      let pages = 0;
      for (const key of await caches.keys()) if (await (await caches.open(key)).match("/staff/scan")) pages += 1;
      return { manifests: await count("manifests"), scans: await count("scans"), pages };
    });
    expect(left).toEqual({ manifests: 0, scans: 0, pages: 0 });
    // The scan was sent before signing out (the network was back): Elena Costa is in.
    expect(await db.prisma.checkIn.count({ where: { reservationId: notYet.reservation.id } })).toBe(1);
  }, 60_000);
});
