/**
 * What every resource file shares: the dependencies, the resource factory, the navigation
 * groups and the small parsers of AdminJS form values.
 */
import { dayBounds, DomainError, type AppConfig } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import type { LayoutElement } from "adminjs";
import { serviceAction, type ServiceActionOptions } from "../actions.ts";
import { findModel, modelWithout, type DMMF } from "../dmmf.ts";
import { SiparioResource, type ResourceBehaviour } from "../sipario-resource.ts";
import type { Services } from "../services.ts";
import { prefillSlug } from "../slug.ts";

export interface ComponentIds {
  ActionConfirm: string;
  ExportCsv: string;
  PersonalData: string;
  StatusBadge: string;
  PosterUpload: string;
  AuditEntry: string;
}

export interface ResourceDeps {
  prisma: PrismaClient;
  config: AppConfig;
  dmmf: DMMF;
  services: Services;
  components: ComponentIds;
}

export const programme = { name: "Programme", icon: "Calendar" };
export const bookings = { name: "Bookings", icon: "Clipboard" };
export const site = { name: "Site", icon: "Globe" };
export const administration = { name: "Administration", icon: "Settings" };

export const insensitive = (value: string) => ({ contains: value, mode: "insensitive" });
export const anyOf = (fields: string[]) => (value: string) => ({ OR: fields.map((f) => ({ [f]: insensitive(value) })) });

type View = "list" | "show" | "edit" | "filter";
/** AdminJS's isVisible for a property that appears in the views named and no others. */
export const onlyIn = (...views: View[]) => ({
  list: views.includes("list"),
  show: views.includes("show"),
  edit: views.includes("edit"),
  filter: views.includes("filter"),
});

export const searchProperty = { search: { isVisible: onlyIn("filter"), position: 0 } };

export function int(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || String(value).trim() === "") return undefined;
  const text = String(value).trim();
  if (!/^\d{1,6}$/.test(text)) throw new DomainError("invalid_input", "Enter a whole number of seats (0 or more).", { field });
  return Number(text);
}

export function bool(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  return value === true || value === "true" || value === "on" || value === "1";
}

export function date(value: unknown, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) throw new DomainError("invalid_input", "Enter a valid date and time.", { field });
  return d;
}

export function text(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

/** A SiparioResource over one Prisma model, with the named fields left out entirely. */
export function modelResource(deps: ResourceDeps, name: string, behaviour: ResourceBehaviour = {}, hidden: string[] = []) {
  return new SiparioResource({ model: modelWithout(findModel(deps.dmmf, name), hidden), client: deps.prisma, dmmf: deps.dmmf }, behaviour);
}

/**
 * Fills an empty slug from another field on create; on update an emptied slug keeps the
 * stored one.
 */
export const slugPrefill =
  (source: string, exists: (slug: string, params: Record<string, unknown>) => Promise<boolean>) =>
  async (params: Record<string, unknown>, mode: "create" | "update") => {
    if (mode === "update") {
      if ("slug" in params && !String(params.slug ?? "").trim()) {
        const { slug: _drop, ...rest } = params;
        return rest;
      }
      return params;
    }
    return prefillSlug(params, source, exists);
  };

/** Every service action asks first, on the same confirmation screen. */
export const askFirst = (deps: ResourceDeps, options: Omit<ServiceActionOptions, "component">) =>
  serviceAction({ ...options, component: deps.components.ActionConfirm });

const DAY_MS = 86_400_000;
/** The box office's date filters; "upcoming" starts at midnight, so tonight's show stays in it after curtain-up. */
export const WHEN_VALUES = ["upcoming", "today", "week", "past", "all"] as const;

/**
 * A filter on a performance's date in the company's time zone: today, the next 7 days,
 * upcoming (from midnight today), past, all. `where` puts the range on the right field.
 */
export function whenFilter(timeZone: string, where: (range: { gte?: Date; lt?: Date }) => Record<string, unknown>) {
  return (value: string): Record<string, unknown> => {
    const { start, end } = dayBounds(new Date(), timeZone);
    if (value === "today") return where({ gte: start, lt: end });
    if (value === "week") return where({ gte: start, lt: new Date(start.getTime() + 7 * DAY_MS) });
    if (value === "past") return where({ lt: start });
    if (value === "all") return {};
    return where({ gte: start });
  };
}

/** The filter's property: a select in the filter drawer only. */
export const whenProperty = {
  when: { availableValues: WHEN_VALUES.map((value) => ({ value, label: value })), isVisible: onlyIn("filter"), position: 0 },
};

/** A status shown as a coloured badge (list and show), its words from the locale. */
export const badge = (deps: ResourceDeps) => ({ components: { list: deps.components.StatusBadge, show: deps.components.StatusBadge } });

/**
 * An edit form where each translated field (docs/adr/0016) shows its Italian and English
 * columns side by side: `["title"]` lays out `title` | `titleEn`; a plain string is one
 * full-width field.
 */
export function sideBySide(fields: (string | [string])[]): LayoutElement[] {
  return fields.map(
    (field): LayoutElement =>
      typeof field === "string"
        ? field
        : [
            { flexDirection: "row", flex: true },
            [
              [field[0], { flexGrow: 1, flexBasis: 0, marginRight: "xl" }],
              [`${field[0]}En`, { flexGrow: 1, flexBasis: 0 }],
            ],
          ],
  );
}

/** The English column of each translated field: optional, its help says the Italian shows when it is empty. */
export const englishOf = (fields: string[]) => Object.fromEntries(fields.map((field) => [`${field}En`, { isRequired: false, description: "englishHelp" }]));
