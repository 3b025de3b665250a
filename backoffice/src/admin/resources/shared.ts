/**
 * What every resource file shares: the dependencies, the resource factory, the navigation
 * groups and the small parsers of AdminJS form values.
 */
import { DomainError, type AppConfig } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import { serviceAction, type ServiceActionOptions } from "../actions.ts";
import { findModel, modelWithout, type DMMF } from "../dmmf.ts";
import { SiparioResource, type ResourceBehaviour } from "../sipario-resource.ts";
import type { Services } from "../services.ts";
import { prefillSlug } from "../slug.ts";

export interface ComponentIds {
  ActionConfirm: string;
  ExportCsv: string;
  PersonalData: string;
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
