import { DomainError, type PerformanceCancellation, type PerformanceMove, type PerformanceRunInput } from "@sipario/api";
import type { ActionContext, ActionRequest, ActionResponse, RecordJSON, ResourceWithOptions } from "adminjs";
import type { Services } from "../services.ts";
import {
  askFirst,
  badge,
  bool,
  date,
  insensitive,
  int,
  modelResource,
  onlyIn,
  programme,
  searchProperty,
  sideBySide,
  text,
  whenFilter,
  whenProperty,
  type ResourceDeps,
} from "./shared.ts";

/** A date field the admin may empty: "" or null clears it (null), absent leaves it (undefined). */
function optionalDate(value: unknown, field: string): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || String(value).trim() === "") return null;
  return date(value, field);
}

/**
 * The form's fields, once: the layout and editProperties both come from it. (A layout
 * renders only the fields it names: written twice, the on-sale window fields were on the
 * list and missing from the form.)
 */
const EDIT_FIELDS: (string | [string])[] = [
  "show",
  "venue",
  "startsAt",
  "roomCapacity",
  "manuallyOccupiedSeats",
  "additionalSeats",
  "isBookingEnabled",
  "bookingOpensAt",
  "bookingClosesAt",
  "surtitles",
  ["note"],
];
const EDIT_LAYOUT = sideBySide(EDIT_FIELDS);

/**
 * The form's values as the performance services take them (packages/api/src/performance):
 * absent fields stay as they are; the services check every rule and name the field.
 */
function performanceInput(params: Record<string, unknown>) {
  const input = {
    showId: text(params.show) || undefined,
    venueId: text(params.venue) || undefined,
    startsAt: date(params.startsAt, "startsAt"),
    roomCapacity: int(params.roomCapacity, "roomCapacity"),
    additionalSeats: int(params.additionalSeats, "additionalSeats"),
    manuallyOccupiedSeats: int(params.manuallyOccupiedSeats, "manuallyOccupiedSeats"),
    isBookingEnabled: bool(params.isBookingEnabled),
    bookingOpensAt: optionalDate(params.bookingOpensAt, "bookingOpensAt"),
    bookingClosesAt: optionalDate(params.bookingClosesAt, "bookingClosesAt"),
    surtitles: text(params.surtitles),
    note: text(params.note),
    noteEn: text(params.noteEn),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<typeof input>;
}

/** The services name show and venue by their ids; the form's fields are the relations. */
const FORM_FIELD: Record<string, string> = { showId: "show", venueId: "venue" };
function onFormField(error: unknown): never {
  const field = error instanceof DomainError ? FORM_FIELD[String(error.details.field)] : undefined;
  if (!field) throw error;
  const { reason, message, details } = error as DomainError;
  throw new DomainError(reason, message, { ...details, field });
}

/** Seat numbers are computed, never stored: added to list/show responses here. */
function withSeatNumbers(services: Services) {
  const apply = (records: RecordJSON[], summaries: Awaited<ReturnType<Services["seatSummary"]>>) => {
    for (const record of records) {
      const s = summaries.get(String(record.id));
      if (!s) continue;
      Object.assign(record.params, {
        availableSeats: s.availableSeats,
        confirmedSeats: s.confirmedSeats,
        pendingCount: s.pendingCount,
        checkedInCount: s.checkedInPeople,
      });
    }
  };
  return async (response: ActionResponse) => {
    const records: RecordJSON[] = response.records ?? (response.record ? [response.record] : []);
    if (records.length) apply(records, await services.seatSummary(records.map((r) => String(r.id))));
    return response;
  };
}

/** "2-7", "2,3,4" or "2-4,6" -> [2, 3, 4, 6]: ISO weekdays, Monday 1. */
function weekdaysOf(text: string): number[] {
  const days = new Set<number>();
  for (const part of text.split(/[,\s]+/).filter(Boolean)) {
    const range = /^([1-7])(?:-([1-7]))?$/.exec(part);
    if (!range) throw new DomainError("invalid_input", "Write weekdays as numbers from 1 (Monday) to 7 (Sunday), e.g. 2-7.", { field: "weekdays" });
    const first = Number(range[1]);
    const last = Number(range[2] ?? range[1]);
    for (let d = first; d <= last; d++) days.add(d);
  }
  return [...days];
}

export function performanceResource(deps: ResourceDeps): ResourceWithOptions {
  const { prisma, services, components } = deps;
  // The run's input from the form and the performance it copies (show, venue, seats, booking switch).
  const runInput = async (id: string, payload: Record<string, unknown>): Promise<PerformanceRunInput> => {
    const template = await prisma.performance.findUniqueOrThrow({
      where: { id },
      select: { showId: true, venueId: true, roomCapacity: true, additionalSeats: true, isBookingEnabled: true },
    });
    const dates = (text(payload.dates) ?? "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    const from = text(payload.from)?.trim();
    const every = from
      ? { from, to: text(payload.to)?.trim() ?? "", weekdays: weekdaysOf(text(payload.weekdays) ?? "1-7"), time: text(payload.time)?.trim() ?? "" }
      : undefined;
    return { ...template, dates, ...(every ? { every } : {}) };
  };
  const seatNumbers = withSeatNumbers(services);
  const seatNumber = () => ({ type: "number", isSortable: false, isVisible: onlyIn("list", "show") }) as const;
  const seatProps = { availableSeats: seatNumber(), confirmedSeats: seatNumber(), pendingCount: seatNumber(), checkedInCount: seatNumber() };
  return {
    resource: modelResource(deps, "Performance", {
      virtualFilters: {
        search: (v) => ({ OR: [{ show: { title: insensitive(v) } }, { venue: { name: insensitive(v) } }, { venue: { city: insensitive(v) } }] }),
        // AdminJS searches references by their title property.
        label: (v) => ({ show: { title: insensitive(v) } }),
        when: whenFilter(deps.config.TIME_ZONE, (range) => ({ startsAt: range })),
      },
      // "Show title · 12/12/26, 20:30" wherever a performance is referenced (reservations...).
      decorate: async (records) => {
        const ids = [...new Set(records.map((r) => String(r.params.show)))];
        const shows = new Map((await prisma.show.findMany({ where: { id: { in: ids } }, select: { id: true, title: true } })).map((x) => [x.id, x.title]));
        const when = new Intl.DateTimeFormat("it-IT", { timeZone: deps.config.TIME_ZONE, dateStyle: "short", timeStyle: "short" });
        for (const r of records) {
          const startsAt = new Date(String(r.params.startsAt));
          r.params.label = `${shows.get(String(r.params.show)) ?? "?"} · ${Number.isNaN(startsAt.getTime()) ? "" : when.format(startsAt)}`;
        }
      },
      // Deleting is for a date entered by mistake; one with bookings is cancelled instead,
      // which tells the people holding them (the foreign key would refuse it anyway).
      delete: async (id) => {
        if ((await prisma.reservation.count({ where: { performanceId: id } })) > 0) {
          throw new DomainError("invalid_input", "performanceHasBookings");
        }
        await prisma.performance.delete({ where: { id } });
      },
      // Both writes go through the services, which audit them (once per edit).
      auditsItself: ["create", "update"],
      create: async (params, actor) => {
        // AdminJS's form sends nothing for a checkbox left unticked: what the admin saw.
        const input = { isBookingEnabled: false, ...performanceInput(params) };
        return services.createPerformance(input as Parameters<Services["createPerformance"]>[0], actor).catch(onFormField);
      },
      update: (id, params, actor) => services.updatePerformance(id, performanceInput(params), actor).catch(onFormField),
    }),
    options: {
      navigation: programme,
      // Eight short columns fit at 1366 px; capacity and pending are on the record page.
      listProperties: ["show", "venue", "startsAt", "status", "availableSeats", "confirmedSeats", "checkedInCount", "isBookingEnabled"],
      filterProperties: ["when", "search", "show", "venue", "status", "isBookingEnabled", "startsAt"],
      showProperties: [
        "show",
        "venue",
        "startsAt",
        "status",
        "cancelledAt",
        "bookingOpensAt",
        "bookingClosesAt",
        "roomCapacity",
        "additionalSeats",
        "manuallyOccupiedSeats",
        "isBookingEnabled",
        "surtitles",
        "note",
        "noteEn",
        "availableSeats",
        "confirmedSeats",
        "pendingCount",
        "checkedInCount",
        "createdAt",
        "updatedAt",
      ],
      editProperties: EDIT_FIELDS.flatMap((field) => (typeof field === "string" ? [field] : [field[0], `${field[0]}En`])),
      // Soonest first; past performances only behind the "when" filter (default: upcoming).
      sort: { sortBy: "startsAt", direction: "asc" },
      href: ({ h }) => `${h.resourceUrl({ resourceId: "Performance" })}?filters.when=upcoming`,
      titleProperty: "label",
      properties: {
        ...searchProperty,
        ...seatProps,
        ...whenProperty,
        status: badge(deps),
        label: { isVisible: false },
        roomCapacity: { isRequired: false, description: "roomCapacityHelp" },
        manuallyOccupiedSeats: { isRequired: false, description: "manuallyOccupiedSeatsHelp" },
        additionalSeats: { isRequired: false, description: "additionalSeatsHelp" },
        isBookingEnabled: { isRequired: false, description: "isBookingEnabledHelp" },
        surtitles: { isRequired: false, description: "surtitlesHelp" },
        note: { isRequired: false, description: "noteHelp" },
        noteEn: { isRequired: false, description: "englishHelp" },
      },
      actions: {
        new: {
          layout: EDIT_LAYOUT,
          // Seats left empty are the venue's usual ones (before AdminJS turns "" into 0).
          before: async (request: ActionRequest) => {
            const payload = request.payload;
            if (request.method === "post" && payload?.venue && String(payload.roomCapacity ?? "").trim() === "") {
              const venue = await prisma.venue.findUnique({ where: { id: String(payload.venue) }, select: { defaultCapacity: true } }).catch(() => null);
              if (venue?.defaultCapacity != null) request.payload = { ...payload, roomCapacity: String(venue.defaultCapacity) };
            }
            return request;
          },
        },
        edit: { layout: EDIT_LAYOUT },
        list: {
          // Without a date filter the list is the upcoming performances; "all" or "past" show the rest.
          before: async (request: ActionRequest) => {
            if (!request.query?.["filters.when"]) request.query = { ...request.query, "filters.when": "upcoming" };
            return request;
          },
          after: seatNumbers,
        },
        show: { after: seatNumbers },
        bulkDelete: { isAccessible: false },
        // Read-only shortcut: the reservations of this performance, filtered.
        reservations: {
          actionType: "record",
          icon: "List",
          component: false,
          handler: async (_req: ActionRequest, _res: unknown, ctx: ActionContext) => ({
            record: ctx.record!.toJSON(ctx.currentAdmin),
            redirectUrl: `${ctx.h.resourceUrl({ resourceId: "Reservation" })}?filters.performance=${encodeURIComponent(String(ctx.record!.id()))}`,
          }),
        },
        cancelPerformance: askFirst(deps, {
          label: "Cancel performance and notify everyone",
          icon: "XOctagon",
          description: "cancelPerformanceDescription",
          when: (p) => String(p.status) !== "cancelled",
          preview: async (id) => {
            const { reservations, toTell } = await services.cancellationPreview(id);
            return { key: "cancelPerformancePreview", values: { reservations, toTell } };
          },
          run: (id, actor) => services.cancelPerformance(id, actor),
          done: (r: PerformanceCancellation) => (r.cancelledNow ? { key: "cancelPerformanceDone", values: { count: r.told } } : "cancelPerformanceAlready"),
        }),
        movePerformance: askFirst(deps, {
          label: "Move performance and tell the audience",
          icon: "Calendar",
          description: "movePerformanceDescription",
          when: (p) => String(p.status) !== "cancelled",
          fields: [{ name: "startsAt", label: "newStartsAtField", type: "datetime", required: true }],
          preview: async (id) => ({ key: "movePerformancePreview", values: { count: await services.holdersToTell(id) } }),
          run: (id, actor, _context, payload) => {
            const startsAt = date(text(payload.startsAt) || undefined, "startsAt");
            const venueId = text(payload.venue) || undefined;
            if (!startsAt && !venueId) throw new DomainError("invalid_input", "Enter the new date and time.", { field: "startsAt" });
            return services.movePerformance(id, { ...(startsAt ? { startsAt } : {}), ...(venueId ? { venueId } : {}) }, actor);
          },
          done: (r: PerformanceMove) => (r.moved ? { key: "movePerformanceDone", values: { count: r.told } } : "movePerformanceUnchanged"),
        }),
        // A run: more dates like this one (same show, venue and seats), previewed, then created at once.
        addDates: askFirst(deps, {
          label: "Add more dates",
          icon: "Copy",
          description: "addDatesDescription",
          fields: [
            { name: "dates", label: "runDatesField", type: "textarea" },
            { name: "from", label: "runFromField", type: "text" },
            { name: "to", label: "runToField", type: "text" },
            { name: "weekdays", label: "runWeekdaysField", type: "text" },
            { name: "time", label: "runTimeField", type: "text" },
          ],
          dryRun: async (id, payload) => {
            const plan = await services.planPerformanceRun(await runInput(id, payload));
            const when = new Intl.DateTimeFormat("it-IT", {
              timeZone: plan.timeZone,
              weekday: "short",
              day: "2-digit",
              month: "2-digit",
              year: "numeric",
              hour: "2-digit",
              minute: "2-digit",
            });
            return { key: "addDatesPreview", values: { count: plan.startsAt.length, dates: plan.startsAt.map((d) => when.format(d)).join("\n") } };
          },
          run: async (id, actor, _context, payload) => services.createPerformanceRun(await runInput(id, payload), actor),
          done: (r: { created: number }) => ({ key: "addDatesDone", values: { count: r.created } }),
        }),
        exportCsv: {
          actionType: "record",
          icon: "Download",
          component: components.ExportCsv,
          handler: async (_req: ActionRequest, _res: unknown, ctx: ActionContext) => ({ record: ctx.record!.toJSON(ctx.currentAdmin) }),
        },
      },
    },
  };
}
