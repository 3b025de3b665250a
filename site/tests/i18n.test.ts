import { describe, expect, it as test } from "vitest";
import { en } from "../src/lib/i18n/en.ts";
import { catalogues, localeFromAcceptLanguage, translatePlural, translator } from "../src/lib/i18n/index.ts";
import { it } from "../src/lib/i18n/it.ts";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogues", () => {
  test("Italian and English have exactly the same keys", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(it).sort());
    expect(Object.keys(it).length).toBeGreaterThan(50);
  });

  test("no message is empty and both languages use the same placeholders", () => {
    for (const key of Object.keys(it) as (keyof typeof it)[]) {
      expect(it[key].trim(), key).not.toBe("");
      expect(en[key].trim(), key).not.toBe("");
      expect(placeholders(en[key]), key).toEqual(placeholders(it[key]));
    }
  });

  test("translator fills placeholders and shows a missing key raw (so page tests catch it)", () => {
    const t = translator("en");
    expect(t("book.title", { title: "Godot" })).toBe("Book: Godot");
    expect(t("nope.missing" as never)).toBe("nope.missing");
    expect(translatePlural(translator("it"), "it", "confirm.people", 1)).toBe("1 persona");
    expect(translatePlural(translator("it"), "it", "confirm.people", 3)).toBe("3 persone");
    expect(translatePlural(t, "en", "perf.seatsLeft", 12)).toBe("12 seats left");
  });

  test("the browser's language picks the locale, Italian by default", () => {
    expect(localeFromAcceptLanguage("en-GB,en;q=0.9,it;q=0.8")).toBe("en");
    expect(localeFromAcceptLanguage("de-DE,it;q=0.5,en;q=0.4")).toBe("it");
    expect(localeFromAcceptLanguage("fr,en;q=0.1")).toBe("en");
    expect(localeFromAcceptLanguage("en;q=0,it")).toBe("it");
    expect(localeFromAcceptLanguage(null)).toBe("it");
    expect(localeFromAcceptLanguage("de")).toBe("it");
    expect(Object.keys(catalogues)).toEqual(["it", "en"]);
  });
});
