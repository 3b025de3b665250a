import { DomainError, isValidTimeZone, type AppConfig } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import type { ActionContext, ActionRequest, ActionResponse, RecordJSON, ResourceWithOptions } from "adminjs";
import { bulkServiceAction, readOnlyActions, serviceAction, type ServiceActionOptions } from "./actions.ts";
import { findModel, modelWithout, type DMMF } from "./dmmf.ts";
import { SiparioResource, type ResourceBehaviour } from "./sipario-resource.ts";
import type { Services } from "./services.ts";
import { prefillSlug } from "./slug.ts";

export interface ComponentIds {
  ActionConfirm: string;
  ExportCsv: string;
}

const programme = { name: "Programme", icon: "Calendar" };
const bookings = { name: "Bookings", icon: "Clipboard" };
const site = { name: "Site", icon: "Globe" };
const administration = { name: "Administration", icon: "Settings" };

const insensitive = (value: string) => ({ contains: value, mode: "insensitive" });
const anyOf = (fields: string[]) => (value: string) => ({ OR: fields.map((f) => ({ [f]: insensitive(value) })) });

type View = "list" | "show" | "edit" | "filter";
/** AdminJS's isVisible for a property that appears in the views named and no others. */
const onlyIn = (...views: View[]) => ({ list: views.includes("list"), show: views.includes("show"), edit: views.includes("edit"), filter: views.includes("filter") });

const searchProperty = { search: { isVisible: onlyIn("filter"), position: 0 } };

function int(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || String(value).trim() === "") return undefined;
  const text = String(value).trim();
  if (!/^\d{1,6}$/.test(text)) throw new DomainError("invalid_input", "Enter a whole number of seats (0 or more).", { field });
  return Number(text);
}

function bool(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  return value === true || value === "true" || value === "on" || value === "1";
}

function date(value: unknown, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) throw new DomainError("invalid_input", "Enter a valid date and time.", { field });
  return d;
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
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

export function buildResources(deps: { prisma: PrismaClient; config: AppConfig; dmmf: DMMF; services: Services; components: ComponentIds }): ResourceWithOptions[] {
  const { prisma, dmmf, services, components } = deps;
  const resource = (name: string, behaviour: ResourceBehaviour = {}, hidden: string[] = []) =>
    new SiparioResource({ model: modelWithout(findModel(dmmf, name), hidden), client: prisma, dmmf }, behaviour);

  const slugPrefill = (source: string, exists: (slug: string, params: Record<string, unknown>) => Promise<boolean>) => async (params: Record<string, unknown>, mode: "create" | "update") => {
    if (mode === "update") {
      if ("slug" in params && !String(params.slug ?? "").trim()) {
        const { slug: _drop, ...rest } = params;
        return rest;
      }
      return params;
    }
    return prefillSlug(params, source, exists);
  };

  const showSlug = slugPrefill("title", async (slug) => !!(await prisma.show.findUnique({ where: { slug }, select: { id: true } })));
  const venueSlug = slugPrefill("name", async (slug) => !!(await prisma.venue.findUnique({ where: { slug }, select: { id: true } })));
  const seatNumbers = withSeatNumbers(services);
  const seatNumber = () => ({ type: "number", isSortable: false, isVisible: onlyIn("list", "show") }) as const;
  const seatProps = { availableSeats: seatNumber(), confirmedSeats: seatNumber(), pendingCount: seatNumber(), checkedInCount: seatNumber() };

  const reservationStatus = (...statuses: string[]) => (p: Record<string, unknown>) => statuses.includes(String(p.status));
  // Every service action asks first, on the same confirmation screen.
  const askFirst = (options: Omit<ServiceActionOptions, "component">) => serviceAction({ ...options, component: components.ActionConfirm });

  return [
    {
      resource: resource("Show", {
        prepare: async (params, mode) => {
          const poster = text(params.posterImage)?.trim();
          // The site puts it in <img src>: only web addresses or site paths.
          if (poster && !/^(https?:\/\/[^\s"'<>]+|\/[^\s"'<>]*)$/i.test(poster)) {
            throw new DomainError("invalid_input", "The poster must be an http(s) address or a path starting with /.", { field: "posterImage" });
          }
          const prepared = { ...params, ...(params.posterImage !== undefined ? { posterImage: poster || null } : {}) };
          return showSlug(prepared, mode);
        },
        virtualFilters: { search: anyOf(["title", "slug", "summary", "description"]) },
      }),
      options: {
        navigation: programme,
        listProperties: ["title", "slug", "isPublished", "createdAt", "updatedAt"],
        filterProperties: ["search", "isPublished"],
        showProperties: ["title", "slug", "summary", "description", "posterImage", "isPublished", "createdAt", "updatedAt"],
        editProperties: ["title", "slug", "summary", "description", "posterImage", "isPublished"],
        sort: { sortBy: "title", direction: "asc" },
        properties: {
          ...searchProperty,
          slug: { isRequired: false, description: "Leave empty to build it from the title." },
          description: { type: "textarea" },
          summary: { type: "textarea" },
        },
        actions: { bulkDelete: { isAccessible: false } },
      },
    },
    {
      resource: resource("Venue", {
        prepare: (params, mode) => {
          const timeZone = text(params.timeZone)?.trim();
          if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
            throw new DomainError("invalid_input", "Enter an IANA time zone such as Europe/Rome.", { field: "timeZone" });
          }
          return venueSlug(params, mode);
        },
        virtualFilters: { search: anyOf(["name", "slug", "address", "city", "notes"]) },
      }),
      options: {
        navigation: programme,
        listProperties: ["name", "slug", "city", "address", "createdAt", "updatedAt"],
        filterProperties: ["search", "city"],
        editProperties: ["name", "slug", "address", "city", "timeZone", "notes"],
        sort: { sortBy: "name", direction: "asc" },
        properties: {
          ...searchProperty,
          slug: { isRequired: false, description: "Leave empty to build it from the name." },
          notes: { type: "textarea" },
        },
        actions: { bulkDelete: { isAccessible: false } },
      },
    },
    {
      resource: resource("Performance", {
        virtualFilters: {
          search: (v) => ({ OR: [{ show: { title: insensitive(v) } }, { venue: { name: insensitive(v) } }, { venue: { city: insensitive(v) } }] }),
          // AdminJS searches references by their title property.
          label: (v) => ({ show: { title: insensitive(v) } }),
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
            select: { showId: true, venueId: true, roomCapacity: true, additionalSeats: true, manuallyOccupiedSeats: true },
          });
          // The form sends every field: blame only the ones that changed.
          const changed = Object.fromEntries(
            Object.entries(defined).filter(([key, value]) => !(key in current) || current[key as keyof typeof current] !== value),
          );
          const showId = params.show ? String(params.show) : current.showId;
          const venueId = params.venue ? String(params.venue) : current.venueId;
          const { performance } = await services.updateCapacity(id, defined, actor).catch((error: unknown) => {
            throw onCapacityField(error, changed);
          });
          if (showId !== current.showId || venueId !== current.venueId) {
            return prisma.performance.update({ where: { id }, data: { showId, venueId } });
          }
          return performance;
        },
      }),
      options: {
        navigation: programme,
        listProperties: ["show", "venue", "startsAt", "roomCapacity", "isBookingEnabled", "availableSeats", "confirmedSeats", "pendingCount", "checkedInCount"],
        filterProperties: ["search", "isBookingEnabled", "startsAt", "show", "venue"],
        showProperties: ["show", "venue", "startsAt", "roomCapacity", "additionalSeats", "manuallyOccupiedSeats", "isBookingEnabled", "availableSeats", "confirmedSeats", "pendingCount", "checkedInCount", "createdAt", "updatedAt"],
        editProperties: ["show", "venue", "startsAt", "roomCapacity", "manuallyOccupiedSeats", "additionalSeats", "isBookingEnabled"],
        sort: { sortBy: "startsAt", direction: "desc" },
        titleProperty: "label",
        properties: {
          ...searchProperty,
          ...seatProps,
          label: { isVisible: false },
          manuallyOccupiedSeats: { isRequired: false, description: "Seats held outside the booking system (guests, press). Empty means 0." },
          additionalSeats: { isRequired: false, description: "Extra seats opened for booking. Empty means 0." },
          isBookingEnabled: { isRequired: false, description: "Tick to let visitors book this performance." },
        },
        actions: {
          list: { after: seatNumbers },
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
          exportCsv: { actionType: "record", icon: "Download", component: components.ExportCsv, handler: async (_req: ActionRequest, _res: unknown, ctx: ActionContext) => ({ record: ctx.record!.toJSON(ctx.currentAdmin) }) },
        },
      },
    },
    {
      resource: resource("Reservation", {
        editable: ["name", "email", "phone", "notes"],
        auditRedact: ["name", "email", "phone", "notes"],
        virtualFilters: { showTitle: (v) => ({ performance: { show: { title: insensitive(v) } } }) },
        prepare: (params) => {
          // Contact details only: the status, seats and performance change through actions.
          const email = text(params.email)?.trim().toLowerCase();
          if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
            throw new DomainError("invalid_input", "Enter a valid email address.", { field: "email" });
          }
          if (params.name !== undefined && !String(params.name).trim()) throw new DomainError("invalid_input", "Enter the name.", { field: "name" });
          return { ...params, ...(email !== undefined ? { email } : {}) };
        },
      }),
      options: {
        navigation: bookings,
        listProperties: ["name", "email", "performance", "partySize", "status", "confirmedAt", "createdAt"],
        filterProperties: ["status", "performance", "showTitle", "name", "email", "phone", "createdAt", "confirmedAt"],
        showProperties: ["name", "email", "phone", "performance", "partySize", "status", "notes", "locale", "createdAt", "confirmedAt", "cancelledAt", "qrCodeGeneratedAt", "reminderSentAt", "anonymizedAt", "updatedAt"],
        editProperties: ["name", "email", "phone", "notes"],
        sort: { sortBy: "createdAt", direction: "desc" },
        properties: {
          showTitle: { isVisible: onlyIn("filter") },
          notes: { type: "textarea" },
          status: { isDisabled: true },
        },
        actions: {
          new: { isAccessible: false },
          delete: { isAccessible: false },
          bulkDelete: { isAccessible: false },
          confirmManually: askFirst({
            label: "Confirm reservation",
            icon: "CheckCircle",
            description: "Confirm this reservation on the visitor's behalf. The seats are taken if still available, and the ticket email is sent.",
            when: reservationStatus("pending", "expired"),
            run: services.confirmReservation,
            done: "Reservation confirmed; the ticket email is on its way.",
          }),
          cancelReservation: askFirst({
            label: "Cancel reservation",
            icon: "XCircle",
            description: "Cancel this reservation. Its seats become available on the site at once.",
            when: reservationStatus("pending", "confirmed"),
            run: services.cancelReservation,
            done: "Reservation cancelled; its seats are available again.",
          }),
          resendConfirmation: askFirst({
            label: "Send a new confirmation link",
            icon: "Mail",
            description: "Email the visitor a new confirmation link. Earlier links stop working.",
            when: reservationStatus("pending", "expired"),
            run: services.resendConfirmation,
            done: "A new confirmation link has been sent.",
          }),
          resendTicket: askFirst({
            label: "Send the ticket again",
            icon: "Send",
            description: "Email the visitor a new ticket. The previous ticket link and QR code stop working.",
            when: reservationStatus("confirmed"),
            run: services.resendTicket,
            done: "A new ticket has been sent.",
          }),
          checkInManually: askFirst({
            label: "Check in",
            icon: "LogIn",
            description: "Record that this party has entered, without scanning the ticket.",
            when: reservationStatus("confirmed"),
            run: async (id, actor) => {
              const admin = await prisma.user.findUniqueOrThrow({ where: { id: actor.id }, select: { id: true, email: true, name: true, role: true } });
              return services.checkIn(id, admin);
            },
            done: "Checked in.",
          }),
          bulkCancel: bulkServiceAction({
            label: "Cancel selected reservations",
            icon: "XCircle",
            component: components.ActionConfirm,
            description: "Cancel every selected reservation. Checked-in or already cancelled ones are left as they are.",
            run: services.cancelReservation,
          }),
        },
      },
    },
    {
      resource: resource("ReservationToken"),
      options: {
        navigation: bookings,
        listProperties: ["reservation", "purpose", "expiresAt", "usedAt", "createdAt"],
        filterProperties: ["purpose", "reservation", "expiresAt", "usedAt", "createdAt"],
        showProperties: ["reservation", "purpose", "tokenHash", "expiresAt", "usedAt", "createdAt"],
        sort: { sortBy: "createdAt", direction: "desc" },
        properties: { tokenHash: { description: "SHA-256 of the token; the token itself is never stored." } },
        actions: readOnlyActions,
      },
    },
    {
      resource: resource("CheckIn"),
      options: {
        navigation: bookings,
        listProperties: ["reservation", "checkedInAt", "checkedInBy", "source", "createdAt"],
        filterProperties: ["source", "checkedInBy", "checkedInAt", "createdAt"],
        sort: { sortBy: "checkedInAt", direction: "desc" },
        actions: readOnlyActions,
      },
    },
    {
      resource: resource("Page", {
        // Slugs are unique per language: "chi-siamo" may exist in Italian and English.
        prepare: slugPrefill("title", async (slug, params) =>
          !!(await prisma.page.findFirst({ where: { slug, locale: String(params.locale || "it") }, select: { id: true } })),
        ),
      }),
      options: {
        navigation: site,
        listProperties: ["title", "slug", "locale", "isPublished", "menuOrder", "updatedAt"],
        filterProperties: ["title", "slug", "locale", "isPublished"],
        editProperties: ["title", "slug", "locale", "body", "isPublished", "menuOrder"],
        sort: { sortBy: "menuOrder", direction: "asc" },
        properties: {
          body: { type: "textarea", description: "Markdown." },
          slug: { isRequired: false, description: "Leave empty to build it from the title." },
          locale: { availableValues: [{ value: "it", label: "Italiano" }, { value: "en", label: "English" }], isRequired: false },
          menuOrder: { isRequired: false },
          isPublished: { isRequired: false },
        },
        actions: { bulkDelete: { isAccessible: false } },
      },
    },
    {
      // The key is the row's id: typed when creating, fixed afterwards.
      resource: resource("SiteSetting", { editable: ["value"] }),
      options: {
        navigation: site,
        titleProperty: "key",
        listProperties: ["key", "value", "updatedAt"],
        editProperties: ["key", "value"],
        properties: {
          key: { isVisible: onlyIn("list", "show", "edit", "filter"), isRequired: true },
          value: { type: "textarea" },
        },
        actions: {
          bulkDelete: { isAccessible: false },
          // AdminJS addresses the row by the id in the submitted params: pin it to the URL's.
          edit: {
            before: async (request: ActionRequest) => {
              if (request.payload) request.payload.key = request.params.recordId;
              return request;
            },
          },
        },
      },
    },
    {
      resource: resource(
        "User",
        {
          auditsItself: true,
          create: (params, actor) =>
            services.createUser({ email: text(params.email) ?? "", name: text(params.name) ?? "", role: text(params.role) ?? "", password: text(params.password) ?? "" }, actor),
          update: (id, params, actor) =>
            services.updateUser(
              id,
              Object.fromEntries(
                Object.entries({ email: text(params.email), name: text(params.name), role: text(params.role), password: text(params.password) }).filter(([, v]) => v !== undefined),
              ),
              actor,
            ),
          delete: async (id, actor) => {
            await services.deleteUser(id, actor);
          },
        },
        ["passwordHash"],
      ),
      options: {
        navigation: administration,
        titleProperty: "email",
        listProperties: ["email", "name", "role", "createdAt"],
        filterProperties: ["email", "name", "role"],
        showProperties: ["email", "name", "role", "createdAt", "updatedAt"],
        editProperties: ["email", "name", "role", "password"],
        properties: {
          password: {
            type: "password",
            isVisible: onlyIn("edit"),
            description: "At least 10 characters. Leave empty to keep the current password.",
          },
        },
        actions: { bulkDelete: { isAccessible: false } },
      },
    },
    {
      resource: resource("EmailOutbox", {}, ["payload"]),
      options: {
        navigation: administration,
        titleProperty: "subject",
        listProperties: ["kind", "toAddress", "subject", "status", "attempts", "nextAttemptAt", "sentAt", "createdAt"],
        filterProperties: ["status", "kind", "toAddress", "reservation", "createdAt"],
        showProperties: ["kind", "toAddress", "subject", "status", "attempts", "nextAttemptAt", "lastError", "sentAt", "reservation", "createdAt", "updatedAt"],
        sort: { sortBy: "createdAt", direction: "desc" },
        actions: {
          ...readOnlyActions,
          retry: askFirst({
            label: "Retry sending",
            icon: "RefreshCw",
            description: "Put this failed email back in the queue and try to deliver it now.",
            when: (p) => p.status === "failed",
            run: services.retryEmail,
            done: "The email is queued again.",
          }),
        },
      },
    },
    {
      resource: resource("AuditLog"),
      options: {
        navigation: administration,
        titleProperty: "action",
        listProperties: ["createdAt", "actorLabel", "action", "entity", "entityId"],
        filterProperties: ["action", "entity", "entityId", "user", "actorLabel", "createdAt"],
        showProperties: ["createdAt", "user", "actorLabel", "action", "entity", "entityId", "changesText"],
        sort: { sortBy: "createdAt", direction: "desc" },
        properties: {
          changesText: { type: "textarea", isVisible: onlyIn("show") },
        },
        actions: {
          ...readOnlyActions,
          // The JSON column arrives flattened ("changes.roomCapacity.from"); show it whole.
          show: {
            after: async (response: ActionResponse) => {
              const row = await prisma.auditLog.findUnique({ where: { id: String(response.record.id) }, select: { changes: true } });
              response.record.params.changesText = row?.changes ? JSON.stringify(row.changes, null, 2) : "";
              return response;
            },
          },
        },
      },
    },
  ];
}
