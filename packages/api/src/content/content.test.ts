import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getConfig, setConfig } from "../config.ts";
import { testCaller } from "../testing/index.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});
// Each test reads what it has just written: no public-read cache in between.
const originalConfig = getConfig();
const noCache = () => setConfig({ ...originalConfig, PUBLIC_READ_CACHE_MS: 0 });
afterEach(() => setConfig(originalConfig));

async function settings(values: Record<string, string>) {
  await db.prisma.siteSetting.deleteMany();
  await db.prisma.siteSetting.createMany({ data: Object.entries(values).map(([key, value]) => ({ key, value })) });
}

describe("content.settings", () => {
  it("gives the company's words in the visitor's language, saying which language each is in", async () => {
    noCache();
    await settings({
      "company.name": " Compagnia Prova ",
      "theme.accent": "#1d4e89",
      "company.tagline": "Teatro per tutti",
      "company.tagline.en": "Theatre for everyone",
      "company.description": "Solo italiano",
    });
    const api = testCaller(db.prisma);
    expect(await api.content.settings({ locale: "en" })).toEqual({
      name: "Compagnia Prova",
      tagline: "Theatre for everyone",
      description: "Solo italiano",
      accent: "#1d4e89",
      lang: { tagline: "en", description: "it" },
    });
    expect(await api.content.settings()).toMatchObject({ tagline: "Teatro per tutti", lang: { tagline: "it", description: "it" } });
  });

  it("falls back to safe defaults: no name, a colour that is not #rrggbb", async () => {
    noCache();
    await settings({ "theme.accent": "red;}body{display:none" });
    const answer = await testCaller(db.prisma).content.settings({ locale: "it" });
    expect(answer).toMatchObject({ name: "Sipario", accent: "#b3261e", tagline: "", description: "" });
  });

  it("refuses unknown keys and languages (invalid_input)", async () => {
    const api = testCaller(db.prisma);
    await expect(api.content.settings({ locale: "fr" } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.content.menu({ locale: "it", extra: 1 } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("content.menu and content.page", () => {
  beforeAll(async () => {
    await db.prisma.page.createMany({
      data: [
        { slug: "contatti", locale: "it", title: "Contatti", body: "Scrivici", menuOrder: 2 },
        { slug: "chi-siamo", locale: "it", title: "Chi siamo", body: "# La compagnia\n\nDal 1999.", menuOrder: 1 },
        { slug: "chi-siamo", locale: "en", title: "About us", body: "Since 1999.", menuOrder: 1 },
        { slug: "bozza", locale: "it", title: "Bozza", body: "Non ancora", menuOrder: 0, isPublished: false },
      ],
    });
  });

  it("lists published pages in menu order, in the visitor's language with an Italian fallback", async () => {
    noCache();
    const api = testCaller(db.prisma);
    expect((await api.content.menu({ locale: "en" })).items).toEqual([
      { slug: "chi-siamo", title: "About us", lang: "en" },
      { slug: "contatti", title: "Contatti", lang: "it" },
    ]);
    expect((await api.content.menu()).items.map((p) => p.title)).toEqual(["Chi siamo", "Contatti"]);
  });

  it("reads one page as its Markdown, in the visitor's language else Italian", async () => {
    noCache();
    const api = testCaller(db.prisma);
    expect(await api.content.page({ slug: "chi-siamo", locale: "en" })).toMatchObject({ title: "About us", body: "Since 1999.", lang: "en" });
    const italian = await api.content.page({ slug: "contatti", locale: "en" });
    expect(italian).toMatchObject({ title: "Contatti", body: "Scrivici", lang: "it" });
    expect(new Date(italian.updatedAt).toISOString()).toBe(italian.updatedAt);
  });

  it("answers NOT_FOUND (not_found) for an unpublished or unknown page, also from the cache", async () => {
    const api = testCaller(db.prisma);
    for (let i = 0; i < 2; i++) {
      await expect(api.content.page({ slug: "bozza" })).rejects.toMatchObject({ code: "NOT_FOUND", cause: { reason: "not_found" } });
      await expect(api.content.page({ slug: "nessuna-pagina", locale: "en" })).rejects.toMatchObject({ code: "NOT_FOUND", cause: { reason: "not_found" } });
    }
  });

  it("refuses a malformed slug as invalid input", async () => {
    const api = testCaller(db.prisma);
    for (const slug of ["Chi-Siamo", "../etc", "a".repeat(121), ""]) {
      await expect(api.content.page({ slug })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
  });
});
