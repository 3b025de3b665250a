import { DomainError, normaliseBookingCode, type BoxOfficeBooking, type ReservationChanged } from "@sipario/api";
import type { ActionContext, ActionRequest, ActionResponse, ResourceWithOptions } from "adminjs";
import { bulkServiceAction } from "../actions.ts";
import { erasePersonAction, personalDataAction } from "./privacy.ts";
import { CREATE_OUTCOME } from "../sipario-resource.ts";
import { askFirst, badge, bookings, insensitive, int, modelResource, onlyIn, text, whenFilter, whenProperty, type ResourceDeps } from "./shared.ts";

/** The box-office service names the performance `performanceId`; AdminJS's field is `performance`. */
function onFormFields(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  const issues = error.details.issues as { path: string; message: string }[] | undefined;
  const first = issues?.[0];
  if (!first || error.details.field) return error;
  const field = first.path === "performanceId" ? "performance" : first.path;
  return new DomainError(error.reason, error.reason === "invalid_input" ? `${field}: ${first.message}` : error.message, { ...error.details, field });
}

export function reservationResource(deps: ResourceDeps): ResourceWithOptions {
  const { prisma, services, components } = deps;
  const reservationStatus =
    (...statuses: string[]) =>
    (p: Record<string, unknown>) =>
      statuses.includes(String(p.status));
  // "checked_in" once the party is in, else the status: actions that no longer apply to a party inside disappear.
  const reservationState =
    (...states: string[]) =>
    (p: Record<string, unknown>) =>
      states.includes(String(p.state ?? p.status));
  const when = new Intl.DateTimeFormat("it-IT", { timeZone: deps.config.TIME_ZONE, dateStyle: "short", timeStyle: "short" });
  return {
    resource: modelResource(deps, "Reservation", {
      editable: ["name", "email", "phone", "notes", "locale", "performance", "partySize"],
      auditRedact: ["name", "email", "phone", "notes"],
      // The box-office service audits its booking (without the person's details).
      auditsItself: ["create"],
      // "New" is a box-office booking: confirmed at once under the performance lock, with a ticket.
      create: async (params, actor) => {
        const partySize = int(params.partySize, "partySize");
        const booking = await services
          .createBoxOfficeReservation(
            {
              performanceId: text(params.performance) ?? "",
              name: text(params.name) ?? "",
              partySize: partySize ?? 0,
              email: text(params.email),
              phone: text(params.phone),
              notes: text(params.notes),
              locale: params.locale === "en" ? "en" : "it",
            },
            actor,
          )
          .catch((error: unknown) => {
            throw onFormFields(error);
          });
        const row = await prisma.reservation.findUniqueOrThrow({ where: { id: booking.reservationId } });
        return { ...row, [CREATE_OUTCOME]: { emailed: booking.emailed, ticketUrl: booking.ticketUrl } };
      },
      // Contact details and language only: seats and performance change through "Change reservation".
      update: async (id, params) => {
        const current = await prisma.reservation.findUniqueOrThrow({ where: { id }, select: { performanceId: true, partySize: true, source: true } });
        const partySize = int(params.partySize, "partySize");
        if (partySize !== undefined && partySize !== current.partySize) {
          throw new DomainError("invalid_input", "Change the number of seats with the “Change reservation” action (it checks the free seats).", {
            field: "partySize",
          });
        }
        if (params.performance !== undefined && String(params.performance) !== current.performanceId) {
          throw new DomainError("invalid_input", "Move the reservation with the “Change reservation” action (it checks the free seats).", {
            field: "performance",
          });
        }
        if (params.email === null && current.source !== "box_office") {
          throw new DomainError("invalid_input", "An online booking keeps its email address.", { field: "email" });
        }
        const data: Record<string, unknown> = {};
        for (const key of ["name", "email", "phone", "notes"] as const) if (params[key] !== undefined) data[key] = params[key] === "" ? null : params[key];
        if (params.locale === "it" || params.locale === "en") data.locale = params.locale;
        return prisma.reservation.update({ where: { id }, data });
      },
      virtualFilters: {
        showTitle: (v) => ({ performance: { show: { title: insensitive(v) } } }),
        when: whenFilter(deps.config.TIME_ZONE, (range) => ({ performance: { startsAt: range } })),
        checkedIn: (v) => (v === "true" ? { checkIn: { isNot: null } } : v === "false" ? { checkIn: null } : {}),
        // The box office types what the visitor reads out: any case, with or without the
        // dash, O for 0. Something that cannot be a code finds nothing.
        code: (v) => {
          const code = normaliseBookingCode(v, { partial: true });
          return code ? { bookingCode: { contains: code } } : { id: { in: [] } };
        },
      },
      // The state the box office means: a confirmed party that came in is "checked in".
      decorate: async (records) => {
        const ids = records.map((r) => String(r.id()));
        const checkIns = new Map(
          (await prisma.checkIn.findMany({ where: { reservationId: { in: ids } }, select: { reservationId: true, checkedInAt: true } })).map((c) => [
            c.reservationId,
            c.checkedInAt,
          ]),
        );
        for (const r of records) {
          const checkedInAt = checkIns.get(String(r.id()));
          r.params.checkedInAt = checkedInAt ?? null;
          r.params.state = checkedInAt ? "checked_in" : r.params.status;
        }
      },
      prepare: (params) => {
        // Contact details only: the status, seats and performance change through actions.
        // An emptied email is "no email" (allowed for box-office bookings only).
        const email = text(params.email)?.trim().toLowerCase();
        if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
          throw new DomainError("invalid_input", "Enter a valid email address.", { field: "email" });
        }
        if (params.name !== undefined && !String(params.name).trim()) throw new DomainError("invalid_input", "Enter the name.", { field: "name" });
        return { ...params, ...(email !== undefined ? { email: email || null } : {}) };
      },
    }),
    options: {
      navigation: bookings,
      listProperties: ["bookingCode", "name", "performance", "partySize", "state", "source", "createdAt"],
      filterProperties: ["when", "code", "showTitle", "performance", "status", "checkedIn", "source", "name", "email", "phone", "createdAt", "confirmedAt"],
      showProperties: [
        "bookingCode",
        "name",
        "email",
        "phone",
        "performance",
        "partySize",
        "state",
        "checkedInAt",
        "source",
        "notes",
        "locale",
        "createdAt",
        "confirmedAt",
        "cancelledAt",
        "qrCodeGeneratedAt",
        "reminderSentAt",
        "anonymizedAt",
        "updatedAt",
      ],
      // The "new" form is a box-office booking; on edit, seats and performance are refused with a pointer to "Change reservation".
      editProperties: ["performance", "name", "partySize", "email", "phone", "notes", "locale"],
      sort: { sortBy: "createdAt", direction: "desc" },
      properties: {
        showTitle: { isVisible: onlyIn("filter") },
        ...whenProperty,
        state: {
          ...badge(deps),
          isSortable: false,
          isVisible: onlyIn("list", "show"),
          availableValues: ["pending", "confirmed", "checked_in", "cancelled", "expired"].map((value) => ({ value, label: value })),
        },
        checkedInAt: { type: "datetime", isSortable: false, isVisible: onlyIn("show") },
        checkedIn: { type: "boolean", isVisible: onlyIn("filter") },
        code: { isVisible: onlyIn("filter") },
        bookingCode: { isDisabled: true },
        notes: { type: "textarea" },
        status: { isDisabled: true },
        locale: {
          availableValues: [
            { value: "it", label: "Italiano" },
            { value: "en", label: "English" },
          ],
          description: "localeHelp",
        },
        email: { description: "emailHelp" },
      },
      actions: {
        // A box-office booking (phone, walk-in): the answer names the booking code and where the ticket went.
        new: {
          after: async (response: ActionResponse, _request: ActionRequest, context: ActionContext) => {
            const record = response.record;
            const outcome = record?.params?.[CREATE_OUTCOME];
            if (!record?.id || typeof outcome !== "string") return response;
            const { emailed } = JSON.parse(outcome) as Pick<BoxOfficeBooking, "emailed">;
            // The public booking code (issue 13, finding 11), never a piece of the id.
            const { bookingCode: code } = await prisma.reservation.findUniqueOrThrow({ where: { id: String(record.id) }, select: { bookingCode: true } });
            const seats = Number(record.params.partySize);
            delete record.params[CREATE_OUTCOME];
            return {
              ...response,
              notice: {
                type: "success",
                message: emailed ? "boxOfficeBookedEmailed" : "boxOfficeBookedPrint",
                options: { code, seats },
              },
              // Without an email, straight to the printable ticket.
              redirectUrl: context.h.recordActionUrl({ resourceId: "Reservation", recordId: String(record.id), actionName: emailed ? "show" : "printTicket" }),
            };
          },
        },
        delete: { isAccessible: false },
        bulkDelete: { isAccessible: false },
        personalData: personalDataAction(deps),
        erasePerson: erasePersonAction(deps, async (id) => (await prisma.reservation.findUnique({ where: { id }, select: { email: true } }))?.email ?? null),
        confirmManually: askFirst(deps, {
          label: "Confirm reservation",
          icon: "CheckCircle",
          description: "confirmManuallyDescription",
          when: reservationStatus("pending", "expired"),
          run: services.confirmReservation,
          done: "confirmManuallyDone",
        }),
        cancelReservation: askFirst(deps, {
          label: "Cancel reservation",
          icon: "XCircle",
          description: "cancelReservationDescription",
          when: reservationState("pending", "confirmed"),
          run: services.cancelReservation,
          done: "cancelReservationDone",
        }),
        resendConfirmation: askFirst(deps, {
          label: "Send a new confirmation link",
          icon: "Mail",
          description: "resendConfirmationDescription",
          when: reservationStatus("pending", "expired"),
          run: services.resendConfirmation,
          done: "resendConfirmationDone",
        }),
        resendTicket: askFirst(deps, {
          label: "Send the ticket again",
          icon: "Send",
          description: "resendTicketDescription",
          when: reservationState("confirmed"),
          run: services.resendTicket,
          done: "resendTicketDone",
        }),
        checkInManually: askFirst(deps, {
          label: "Check in",
          icon: "LogIn",
          description: "checkInManuallyDescription",
          when: reservationState("confirmed"),
          run: async (id, actor) => {
            const admin = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { id: true, email: true, name: true, role: true } });
            return services.checkIn(id, admin);
          },
          done: "checkInManuallyDone",
        }),
        changeReservation: askFirst(deps, {
          label: "Change reservation",
          icon: "Edit3",
          description: "changeReservationDescription",
          when: reservationStatus("confirmed"),
          fields: [
            { name: "partySize", label: "newPartySizeField", type: "number" },
            { name: "performance", label: "newPerformanceField", type: "select" },
          ],
          preview: async (id) => {
            const r = await prisma.reservation.findUniqueOrThrow({ where: { id }, select: { partySize: true, performance: { select: { startsAt: true } } } });
            return { key: "changeReservationPreview", values: { seats: r.partySize, performance: when.format(r.performance.startsAt) } };
          },
          // The other performances of the same show still to come.
          choices: async (id) => {
            const r = await prisma.reservation.findUniqueOrThrow({ where: { id }, select: { performanceId: true, performance: { select: { showId: true } } } });
            const others = await prisma.performance.findMany({
              where: { showId: r.performance.showId, id: { not: r.performanceId }, status: "scheduled", startsAt: { gt: new Date() } },
              orderBy: { startsAt: "asc" },
              take: 100,
              select: { id: true, startsAt: true, venue: { select: { name: true } } },
            });
            return { performance: others.map((p) => ({ value: p.id, label: `${when.format(p.startsAt)} · ${p.venue.name}` })) };
          },
          run: (id, actor, _context, payload) =>
            services.changeReservation(id, { partySize: int(payload.partySize, "partySize"), performanceId: text(payload.performance) || undefined }, actor),
          done: (r: ReservationChanged) =>
            r.changed
              ? { key: r.emailed ? "changeReservationEmailed" : "changeReservationDone", values: { seats: r.partySize } }
              : "changeReservationUnchanged",
        }),
        printTicket: askFirst(deps, {
          label: "Print the ticket",
          icon: "Printer",
          description: "printTicketDescription",
          when: (p) => reservationState("confirmed")(p) && !p.email,
          run: services.printTicket,
          openUrl: (result: { ticketUrl: string }) => result.ticketUrl,
          done: "printTicketDone",
        }),
        undoCheckIn: askFirst(deps, {
          label: "Undo check-in",
          icon: "RotateCcw",
          description: "undoCheckInDescription",
          when: reservationState("checked_in"),
          fields: [{ name: "reason", label: "undoReasonField", type: "textarea", required: true }],
          run: async (id, actor, _context, payload) => {
            if (!text(payload.reason)?.trim()) throw new DomainError("invalid_input", "Say why the check-in is undone.", { field: "reason" });
            const admin = await prisma.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { id: true, email: true, name: true, role: true } });
            return services.undoCheckIn(id, admin, text(payload.reason));
          },
          done: "undoCheckInDone",
        }),
        bulkCancel: bulkServiceAction({
          label: "Cancel selected reservations",
          icon: "XCircle",
          component: components.ActionConfirm,
          description: "bulkCancelDescription",
          run: services.cancelReservation,
        }),
      },
    },
  };
}
