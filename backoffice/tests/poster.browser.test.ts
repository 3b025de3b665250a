import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { factories } from "@sipario/db/testing";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminTranslations } from "../src/admin/locale.ts";
import { launchBrowser, login, startBackoffice, type Harness, signInPage } from "./helpers.ts";

const RESULTS = join(import.meta.dirname, "..", "test-results", "poster");

let h: Harness;
let browser: Browser;
let page: Page;
let posterDir: string;
let files: string;
let showId: string;
let credentials: { email: string; password: string };

const words = (adminTranslations.en.components as Record<string, { errors: Record<string, string>; done: string }>).PosterUpload!;

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  posterDir = mkdtempSync(join(tmpdir(), "sipario-posters-"));
  files = mkdtempSync(join(tmpdir(), "sipario-poster-files-"));
  h = await startBackoffice({ POSTER_DIR: posterDir });
  const { user, password } = await factories.user(h.db.prisma, { role: "admin", name: "Giulia Admin" });
  credentials = { email: user.email, password };
  showId = (await factories.show(h.db.prisma, { title: "Le serve", slug: "le-serve" })).id;
  // A big camera-like JPEG (2400×3600), a PNG named .jpg, a text file named .png, a tiny image.
  const gradient = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 180, g: 40, b: 30 } } }).composite([
      { input: Buffer.from(`<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${width / 3}" fill="#fff"/></svg>`) },
    ]);
  writeFileSync(join(files, "poster.jpg"), await gradient(2400, 3600).jpeg({ quality: 80 }).toBuffer());
  writeFileSync(join(files, "really-a-png.jpg"), await gradient(600, 900).png().toBuffer());
  writeFileSync(join(files, "notes.png"), "this is not an image\n".repeat(100));
  writeFileSync(join(files, "icon.png"), await gradient(64, 64).png().toBuffer());
  // Over the 12 MB cap: random bytes behind a JPEG signature.
  writeFileSync(join(files, "huge.jpg"), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(13 * 1024 * 1024, 7)]));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: "en-GB", timezoneId: "Europe/Rome" });
  await signInPage(page, h.base, credentials);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
  rmSync(posterDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

async function choose(name: string): Promise<void> {
  await page.locator('[data-testid="poster-file"]').setInputFiles(join(files, name));
}

describe("uploading a show's poster in Chromium", () => {
  it("refuses a file that is not an image, a tiny one and one over the size cap, each with its reason", { timeout: 180_000 }, async () => {
    await page.goto(`${h.base}/admin/resources/Show/records/${showId}/edit`);
    await page.waitForSelector('[data-testid="poster-file"]', { timeout: 60_000 });
    for (const [file, problem] of [
      ["notes.png", "not_an_image"],
      ["icon.png", "too_small"],
      ["huge.jpg", "too_big"],
    ] as const) {
      await choose(file);
      await expect
        .poll(() =>
          page
            .locator('[data-testid="poster-error"]')
            .innerText()
            .catch(() => ""),
        )
        .toBe(words.errors[problem]);
      await page.screenshot({ path: join(RESULTS, `refused-${problem}.png`), fullPage: true });
    }
    expect((await h.db.prisma.show.findUniqueOrThrow({ where: { id: showId } })).posterImage).toBeNull();
  });

  it("uploads a photo: resized to the web size, stored under POSTER_DIR, shown in the form, audited", { timeout: 180_000 }, async () => {
    await page.goto(`${h.base}/admin/resources/Show/records/${showId}/edit`);
    await page.waitForSelector('[data-testid="poster-file"]', { timeout: 60_000 });
    await choose("poster.jpg");
    await expect.poll(() => page.locator('[data-testid="poster-status"]').innerText()).toContain(words.done);
    const { posterImage } = await h.db.prisma.show.findUniqueOrThrow({ where: { id: showId } });
    expect(posterImage).toMatch(/^\/posters\/uploads\/[0-9a-f]{32}\.webp$/);
    const stored = join(posterDir, posterImage!.split("/").pop()!);
    expect(existsSync(stored)).toBe(true);
    const meta = await sharp(stored).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 800, 1200]);
    // The preview in the form loads (through the back-office).
    await expect
      .poll(() => page.locator('[data-testid="poster-preview"]').evaluate((img: unknown) => (img as { naturalWidth: number }).naturalWidth))
      .toBe(800);
    await page.screenshot({ path: join(RESULTS, "uploaded.png"), fullPage: true });
    // Saving the form afterwards keeps it.
    await page.click('[data-testid="button-save"]');
    await expect.poll(async () => (await h.db.prisma.auditLog.findMany({ where: { action: "show.poster", entityId: showId } })).length).toBe(1);
    expect((await h.db.prisma.show.findUniqueOrThrow({ where: { id: showId } })).posterImage).toBe(posterImage);

    // A PNG named .jpg is judged by its content, and accepted.
    await page.goto(`${h.base}/admin/resources/Show/records/${showId}/edit`);
    await page.waitForSelector('[data-testid="poster-file"]', { timeout: 60_000 });
    await choose("really-a-png.jpg");
    await expect.poll(() => page.locator('[data-testid="poster-status"]').innerText()).toContain(words.done);
    expect((await h.db.prisma.show.findUniqueOrThrow({ where: { id: showId } })).posterImage).not.toBe(posterImage);
  });

  it("takes uploads from a signed-in admin of this back-office only", async () => {
    const image = await sharp({ create: { width: 300, height: 450, channels: 3, background: "#123456" } })
      .png()
      .toBuffer();
    const post = (headers: Record<string, string>, body: Uint8Array | string = new Uint8Array(image)) =>
      fetch(`${h.base}/admin/upload/shows/${showId}/poster`, { method: "POST", body, headers: { "content-type": "application/octet-stream", ...headers } });
    expect((await post({ origin: h.base })).status).toBe(401);
    const { cookie } = await login(h.base, credentials.email, credentials.password);
    expect((await post({ origin: "https://evil.example", cookie: cookie! })).status).toBe(403);
    expect((await post({ origin: h.base, cookie: cookie!, "content-type": "application/json" }, "{}")).status).toBe(415);
    const ok = await post({ origin: h.base, cookie: cookie! });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ width: 300, height: 450 });
    // Other admin routes keep the 1 MB cap.
    const big = await fetch(`${h.base}/admin/api/resources/Show/records/${showId}/edit`, {
      method: "POST",
      body: new Uint8Array(2_000_000),
      headers: { origin: h.base, cookie: cookie!, "content-type": "application/octet-stream" },
    });
    expect(big.status).toBe(413);
    // And the poster route stops at its own 12 MB.
    expect((await post({ origin: h.base, cookie: cookie! }, new Uint8Array(13 * 1024 * 1024))).status).toBe(413);
    const unknown = await fetch(`${h.base}/admin/upload/shows/00000000-0000-4000-8000-000000000000/poster`, {
      method: "POST",
      body: new Uint8Array(image),
      headers: { origin: h.base, cookie: cookie!, "content-type": "application/octet-stream" },
    });
    expect(unknown.status).toBe(404);
  });
});
