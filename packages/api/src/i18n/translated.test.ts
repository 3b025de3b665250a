import { describe, expect, it } from "vitest";
import { contentLocale, localize, pickTranslation } from "./translated.ts";

describe("translated fields", () => {
  it("shows the asked language, else the other one, naming the language it is in", () => {
    expect(pickTranslation("Le serve", "The Maids", "en")).toEqual({ text: "The Maids", lang: "en" });
    expect(pickTranslation("Le serve", "The Maids", "it")).toEqual({ text: "Le serve", lang: "it" });
    expect(pickTranslation("Le serve", "  ", "en")).toEqual({ text: "Le serve", lang: "it" });
    expect(pickTranslation("", "The Maids", "it")).toEqual({ text: "The Maids", lang: "en" });
    expect(pickTranslation(null, undefined, "en")).toEqual({ text: "", lang: "en" });
  });

  it("localizes a row's pairs and maps any locale tag to it or en", () => {
    const row = { title: "Le serve", titleEn: "The Maids", summary: "Un gioco.", summaryEn: "" };
    expect(localize(row, ["title", "summary"], "en")).toEqual({ title: "The Maids", summary: "Un gioco.", lang: { title: "en", summary: "it" } });
    expect(contentLocale("en-GB")).toBe("en");
    expect(contentLocale("fr")).toBe("it");
    expect(contentLocale(null)).toBe("it");
  });
});
