import { factories } from "@sipario/db/testing";
import type AdminJS from "adminjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminLocale, createAdmin } from "../src/admin/admin.ts";
import { ADMIN_LANGUAGES, adminTranslations } from "../src/admin/locale.ts";
import { makeServices } from "../src/admin/services.ts";
import { form, login, startBackoffice, type Harness } from "./helpers.ts";

let h: Harness;
let admin: AdminJS;

beforeAll(async () => {
  h = await startBackoffice();
  const services = makeServices({ prisma: h.db.prisma, config: h.config });
  admin = await createAdmin({ prisma: h.db.prisma, config: h.config, services });
});
afterAll(async () => {
  await h?.stop();
});

type Tree = Record<string, unknown>;
/** Where AdminJS's translate functions look (adminjs/src/utils/translate-functions.factory.ts). */
function has(tree: Tree | undefined, key: string): boolean {
  return typeof tree?.[key] === "string" && (tree[key] as string).trim() !== "";
}

/**
 * Every word a screen of the back-office asks AdminJS for, as the key AdminJS looks up.
 * Whoever adds a resource, property, enum value, action or help text without words gets
 * the missing key named here.
 */
function missingKeys(language: (typeof ADMIN_LANGUAGES)[number]): string[] {
  const t = adminTranslations[language] as Tree & { resources: Record<string, Record<string, Tree>> };
  const labels = t.labels as Tree;
  const globalActions = t.actions as Tree;
  const globalMessages = (t.messages ?? {}) as Tree;
  const missing: string[] = [];
  for (const resource of admin.resources) {
    const decorated = resource.decorate();
    const id = decorated.id();
    const own = t.resources[id] ?? {};
    if (!has(labels, id)) missing.push(`${language}: labels.${id} (the resource's name)`);
    const group = decorated.getNavigation()?.name;
    if (group && !has(labels, group)) missing.push(`${language}: labels.${group} (a menu group)`);
    const seen = new Set<string>();
    for (const where of ["list", "show", "edit", "filter"] as const) {
      for (const property of decorated.getProperties({ where })) {
        for (const p of [property, ...property.subProperties()]) {
          const path = p.propertyPath;
          if (seen.has(path)) continue;
          seen.add(path);
          if (!has(own.properties, path)) missing.push(`${language}: resources.${id}.properties.${path} (shown in ${where})`);
          const values = p.type() === "boolean" ? [{ value: "true" }, { value: "false" }] : (p.availableValues() ?? []);
          for (const { value } of values) {
            if (!has(own.labels, `${path}.${value}`)) missing.push(`${language}: resources.${id}.labels.${path}.${value} (a value's words)`);
          }
          const description = (p as unknown as { options: { description?: string } }).options.description;
          if (description && !has(own.messages, description) && !has(globalMessages, description)) {
            missing.push(`${language}: resources.${id}.messages.${description} (help text of ${path})`);
          }
        }
      }
    }
    for (const [name, action] of Object.entries(decorated.actions)) {
      if (!has(own.actions, name) && !has(globalActions, name)) missing.push(`${language}: resources.${id}.actions.${name}`);
      const custom = (action as unknown as { action: { custom?: { description?: string; done?: string; fields?: { label: string }[] } } }).action.custom ?? {};
      for (const key of [custom.description, custom.done, ...(custom.fields ?? []).map((f) => f.label)]) {
        if (key && !has(own.messages, key) && !has(globalMessages, key)) missing.push(`${language}: resources.${id}.messages.${key} (action ${name})`);
      }
    }
  }
  return missing;
}

describe("the back-office's words", () => {
  for (const language of ADMIN_LANGUAGES) {
    it(`has ${language} words for every resource, property, enum value, action and help text`, () => {
      expect(missingKeys(language), `add these keys to backoffice/src/admin/locale.ts`).toEqual([]);
    });
  }

  it("uses the trade's words, not field names", () => {
    const it = adminTranslations.it.resources!;
    expect(it.Performance!.properties).toMatchObject({
      roomCapacity: "Posti in sala",
      additionalSeats: "Posti aggiuntivi",
      manuallyOccupiedSeats: "Posti occupati a mano (es. prenotazioni al telefono già registrate altrove)",
      show: "Spettacolo",
    });
    expect(adminTranslations.it.labels).toMatchObject({ Show: "Spettacoli", Performance: "Repliche" });
    // "Show" is the theatre word: the record page is called Details.
    expect(adminTranslations.en.actions).toMatchObject({ show: "Details" });
  });

  it("speaks the browser's language until the admin picks one, then the one picked", () => {
    expect(adminLocale(null)).toMatchObject({ localeDetection: true, availableLanguages: ["it", "en"] });
    expect(adminLocale("en")).toMatchObject({ lng: "en", language: "en" });
    expect(adminLocale("en")).not.toHaveProperty("localeDetection");
  });

  it("stores the language an admin picks on their user, and serves the pages in it", async () => {
    const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
    const { cookie } = await login(h.base, user.email, password);
    expect(cookie).toBeTruthy();
    const post = (language: string) =>
      fetch(`${h.base}/admin/language`, { method: "POST", body: new URLSearchParams({ language }), headers: { cookie: cookie!, origin: h.base } });
    expect((await post("klingon")).status).toBe(400);
    expect((await post("en")).status).toBe(204);
    expect((await h.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).adminLocale).toBe("en");
    const page = await (await fetch(`${h.base}/admin`, { headers: { cookie: cookie! } })).text();
    expect(page).toContain("<html lang=en>");
    expect((await post("it")).status).toBe(204);
    expect(await (await fetch(`${h.base}/admin`, { headers: { cookie: cookie! } })).text()).toContain("<html lang=it>");
    // Without a session, nothing is stored.
    const anonymous = await fetch(`${h.base}/admin/language`, { method: "POST", body: form({ language: "en" }), headers: { origin: h.base } });
    expect(anonymous.status).toBe(401);
  });
});
