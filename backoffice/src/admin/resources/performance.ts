import { assertValidBookingWindow, DomainError, type PerformanceCancellation, type PerformanceMove, type PerformanceRunInput } from "@sipario/api";
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

/** The on-sale window of a new performance, checked by the same rule as edits. */
function newWindow(startsAt: Date, params: Record<string, unknown>) {
  const opensAt = optionalDate(params.bookingOpensAt, "bookingOpensAt") ?? null;
  const closesAt = optionalDate(params.bookingClosesAt, "bookingClosesAt") ?? null;
  assertValidBookingWindow(startsAt, opensAt, closesAt);
  return { bookingOpensAt: opensAt, bookingClosesAt: closesAt };
}

const people = (n: number) => (n === 1 ? "1 person" : `${n} people`);

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

/** The visitor-facing facts of one date: surtitles and its note in both languages. */
function performanceTexts(params: Record<string, unknown>) {
  const surtitles = text(params.surtitles)?.trim().toLowerCase();
  if (surtitles && !/^[a-z]{2,3}$/.test(surtitles)) {
    throw new DomainError("invalid_input", "Surtitles: a language code such as en, or empty.", { field: "surtitles" });
  }
  const note = text(params.note);
  const noteEn = text(params.noteEn);
  return {
    ...(params.surtitles !== undefined ? { surtitles: surtitles || null } : {}),
    ...(note !== undefined ? { note: note.trim() } : {}),
    ...(noteEn !== undefined ? { noteEn: noteEn.trim() } : {}),
  };
}

/**
 * Puts a capacity refusal on the field the admin changed: a capacity too small for the
 * confirmed parties on the capacity (or the seat count that grew), manual seats over the
 * room on the manual seats.
 */
function onCapacityField(error: unknown, patch: Record<string, unknown>): unknown {
  if (!(error instanceof DomainError) || error.details.field) return error;
  let field: string | undefined;
  if (error.reason === "capacity_below_confirmed") {
    field = ["roomCapacity", "additionalSeats", "manuallyOccupiedSeats"].find((f) => patch[f] !== undefined);
  } else if (error.reason === "invalid_input") {
    field = /manually occupied/i.test(error.message) ? "manuallyOccupiedSeats" : /startsAt/.test(error.message) ? "startsAt" : undefined;
  }
  return field ? new DomainError(error.reason, error.message, { ...error.details, field }) : error;
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
      create: async (params) => {
        const roomCapacity = int(params.roomCapacity, "roomCapacity");
        if (roomCapacity === undefined) throw new DomainError("invalid_input", "Enter the room capacity.", { field: "roomCapacity" });
        const additionalSeats = int(params.additionalSeats, "additionalSeats") ?? 0;
        const manuallyOccupiedSeats = int(params.manuallyOccupiedSeats, "manuallyOccupiedSeats") ?? 0;
        if (manuallyOccupiedSeats > roomCapacity + additionalSeats) {
          throw new DomainError(
            "invalid_input",
            `Manually occupied seats (${manuallyOccupiedSeats}) cannot exceed the room capacity plus additional seats (${roomCapacity + additionalSeats}).`,
            { field: "manuallyOccupiedSeats" },
          );
        }
        const startsAt = date(params.startsAt, "startsAt");
        if (!startsAt) throw new DomainError("invalid_input", "Enter the date and time.", { field: "startsAt" });
        if (!params.show) throw new DomainError("invalid_input", "Choose the show.", { field: "show" });
        if (!params.venue) throw new DomainError("invalid_input", "Choose the venue.", { field: "venue" });
        return prisma.performance.create({
          data: {
            showId: String(params.show),
            venueId: String(params.venue),
            startsAt,
            roomCapacity,
            additionalSeats,
            manuallyOccupiedSeats,
            // AdminJS's form sends nothing for a checkbox left unticked: what the admin saw.
            isBookingEnabled: bool(params.isBookingEnabled) ?? false,
            ...performanceTexts(params),
            ...newWindow(startsAt, params),
          },
        });
      },
      // Seats and times go through the capacity service (row lock, confirmed-seat check);
      // a refusal leaves the row untouched and comes back on the form.
      update: async (id, params, actor) => {
        const patch = {
          roomCapacity: int(params.roomCapacity, "roomCapacity"),
          manuallyOccupiedSeats: int(params.manuallyOccupiedSeats, "manuallyOccupiedSeats"),
          additionalSeats: int(params.additionalSeats, "additionalSeats"),
          isBookingEnabled: bool(params.isBookingEnabled),
          startsAt: date(params.startsAt, "startsAt"),
        };
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const current = await prisma.performance.findUniqueOrThrow({
          where: { id },
          select: { showId: true, venueId: true, startsAt: true, roomCapacity: true, additionalSeats: true, manuallyOccupiedSeats: true },
        });
        // Ticket holders must hear about a new time or place: that goes through "Move performance".
        const newVenue = params.venue ? String(params.venue) : current.venueId;
        if ((patch.startsAt && patch.startsAt.getTime() !== current.startsAt.getTime()) || newVenue !== current.venueId) {
          const toTell = await services.holdersToTell(id);
          if (toTell > 0) {
            throw new DomainError("invalid_input", `${people(toTell)} hold tickets: use “Move performance” so they are told the new date and place.`, {
              field: patch.startsAt && patch.startsAt.getTime() !== current.startsAt.getTime() ? "startsAt" : "venue",
            });
          }
        }
        // The form sends every field: blame only the ones that changed.
        const changed = Object.fromEntries(
          Object.entries(defined).filter(([key, value]) => !(key in current) || current[key as keyof typeof current] !== value),
        );
        const showId = params.show ? String(params.show) : current.showId;
        const venueId = params.venue ? String(params.venue) : current.venueId;
        const texts = performanceTexts(params);
        let { performance } = await services.updateCapacity(id, defined, actor).catch((error: unknown) => {
          throw onCapacityField(error, changed);
        });
        if (Object.keys(texts).length > 0) performance = await prisma.performance.update({ where: { id }, data: texts });
        const window = { opensAt: optionalDate(params.bookingOpensAt, "bookingOpensAt"), closesAt: optionalDate(params.bookingClosesAt, "bookingClosesAt") };
        if (window.opensAt !== undefined || window.closesAt !== undefined) {
          await services.setBookingWindow(id, window);
          performance = await prisma.performance.findUniqueOrThrow({ where: { id } });
        }
        if (showId !== current.showId || venueId !== current.venueId) {
          return prisma.performance.update({ where: { id }, data: { showId, venueId } });
        }
        return performance;
      },
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
