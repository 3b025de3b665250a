/**
 * The audit log in words (issue 17): "Mario Rossi ha cambiato Posti in sala da 120 a 110
 * per Le serve, 14 dic 20:30", in both languages, so the page shows the admin's. Field
 * names are the locale's property labels; dates read on the venue's clock.
 */
import type { PrismaClient } from "@sipario/db";
import { ADMIN_LANGUAGES, auditWords, resourceWords, type AdminLanguage } from "./locale.ts";

export interface AuditRow {
  id: string;
  userId: string | null;
  actorLabel: string;
  action: string;
  entity: string;
  entityId: string | null;
  changes: unknown;
}

type Sentences = Record<AdminLanguage, string>;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const INTL_LOCALE: Record<AdminLanguage, string> = { it: "it-IT", en: "en-GB" };

/** "14 dic 20:30" / "14 Dec 20:30": the wall clock in `timeZone`, 24-hour. */
export function clockWords(instant: Date, language: AdminLanguage, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(INTL_LOCALE[language], {
    timeZone,
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("day")} ${get("month").replace(".", "")} ${get("hour")}:${get("minute")}`;
}

const word = (key: string, language: AdminLanguage) => auditWords[key]?.[language === "it" ? 0 : 1] ?? key;

/** "a", "a e b", "a, b e c". */
function list(items: string[], language: AdminLanguage): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${word("and", language)} ${items.at(-1)}`;
}

/** The field's label in the locale: `showId` reads as the `show` property. */
function fieldLabel(entity: string, field: string, language: AdminLanguage): string {
  const properties = resourceWords[entity]?.properties ?? {};
  const words = properties[field] ?? properties[field.replace(/Id$/, "")];
  return words ? words[language === "it" ? 0 : 1] : field;
}

/** Each changed field with its values, whatever shape the service wrote. */
interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
  hidden?: boolean;
}

function changedFields(action: string, changes: unknown): FieldChange[] {
  if (!changes || typeof changes !== "object") return [];
  const c = changes as Record<string, unknown>;
  // updatePerformanceCapacity, before 14 Dec 2026: { before, patch }.
  if (action === "performance.capacity" && c.patch && typeof c.patch === "object") {
    const before = (c.before ?? {}) as Record<string, unknown>;
    return Object.entries(c.patch as Record<string, unknown>).map(([field, to]) => ({ field, from: before[field], to }));
  }
  // movePerformance: { from: {...}, to: {...}, told }.
  if (c.from && c.to && typeof c.from === "object" && typeof c.to === "object") {
    const from = c.from as Record<string, unknown>;
    const to = c.to as Record<string, unknown>;
    return Object.keys(to).map((field) => ({ field, from: from[field], to: to[field] }));
  }
  return Object.entries(c).flatMap(([field, value]): FieldChange[] => {
    if (value === "[changed]" || value === "[redacted]") return [{ field, hidden: true }];
    if (value && typeof value === "object" && "to" in value) return [{ field, from: (value as { from?: unknown }).from, to: (value as { to: unknown }).to }];
    return [];
  });
}

/** Reads every audit row of a page in words, with one query per kind of thing named (no N+1). */
export async function auditSentences(prisma: PrismaClient, rows: AuditRow[], defaultZone: string): Promise<Map<string, Sentences>> {
  const ids = (entity: string) => rows.filter((r) => r.entity === entity && r.entityId).map((r) => r.entityId!);
  const referenced = (field: string) =>
    rows
      .flatMap((r) =>
        changedFields(r.action, r.changes)
          .filter((c) => c.field === field)
          .flatMap((c) => [c.from, c.to]),
      )
      .filter((v): v is string => typeof v === "string");
  const userIds = [...new Set(rows.map((r) => r.userId).filter((v): v is string => v !== null))];
  const [users, performances, shows, venues] = await Promise.all([
    prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
    prisma.performance.findMany({
      where: { id: { in: ids("Performance") } },
      select: { id: true, startsAt: true, show: { select: { title: true } }, venue: { select: { timeZone: true } } },
    }),
    prisma.show.findMany({ where: { id: { in: [...ids("Show"), ...referenced("showId")] } }, select: { id: true, title: true } }),
    prisma.venue.findMany({ where: { id: { in: [...ids("Venue"), ...referenced("venueId")] } }, select: { id: true, name: true } }),
  ]);
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const performance = new Map(performances.map((p) => [p.id, p]));
  const names = new Map<string, string>([...shows.map((s) => [s.id, s.title] as const), ...venues.map((v) => [v.id, v.name] as const)]);

  const out = new Map<string, Sentences>();
  for (const row of rows) {
    const p = row.entityId ? performance.get(row.entityId) : undefined;
    const zone = p?.venue.timeZone ?? defaultZone;
    const sentence = (language: AdminLanguage): string => {
      const value = (field: string, v: unknown): string => {
        if (v === null || v === undefined || v === "") return word("empty", language);
        if (typeof v === "boolean") return word(v ? "yes" : "no", language);
        if (typeof v === "string" && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v))) return clockWords(new Date(v), language, zone);
        if (typeof v === "string" && names.has(v)) return names.get(v)!;
        const enumWords = resourceWords[row.entity]?.values?.[field]?.[String(v)];
        if (enumWords) return enumWords[language === "it" ? 0 : 1];
        return typeof v === "object" ? JSON.stringify(v) : String(v);
      };
      const actor = (row.userId && userName.get(row.userId)) || row.actorLabel || word("system", language);
      const target = p
        ? `${p.show.title}, ${clockWords(p.startsAt, language, zone)}`
        : (row.entityId && names.get(row.entityId)) ||
          `${resourceWords[row.entity]?.name[language === "it" ? 0 : 1] ?? row.entity} ${row.entityId?.slice(0, 8) ?? ""}`.trim();
      const fields = changedFields(row.action, row.changes);
      if (row.action === "create") return `${actor} ${word("created", language)} ${target}`;
      if (row.action === "delete") return `${actor} ${word("deleted", language)} ${target}`;
      if (fields.length > 0 && (row.action === "edit" || row.action === "performance.capacity" || row.action === "performance.move")) {
        const parts = fields.map((c) =>
          c.hidden
            ? fieldLabel(row.entity, c.field, language)
            : `${fieldLabel(row.entity, c.field, language)} ${word("from", language)} ${value(c.field, c.from)} ${word("to", language)} ${value(c.field, c.to)}`,
        );
        return `${actor} ${word("changed", language)} ${list(parts, language)} ${word("for", language)} ${target}`;
      }
      const did = auditWords[`action.${row.action}`] ? word(`action.${row.action}`, language) : `${word("did", language)} «${row.action}»`;
      return `${actor} ${did}: ${target}`;
    };
    out.set(row.id, Object.fromEntries(ADMIN_LANGUAGES.map((l) => [l, sentence(l)])) as Sentences);
  }
  return out;
}
