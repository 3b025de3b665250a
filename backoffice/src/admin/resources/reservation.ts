import { DomainError } from "@sipario/api";
import type { ResourceWithOptions } from "adminjs";
import { bulkServiceAction } from "../actions.ts";
import { erasePersonAction, personalDataAction } from "./privacy.ts";
import { askFirst, bookings, insensitive, modelResource, onlyIn, text, type ResourceDeps } from "./shared.ts";

export function reservationResource(deps: ResourceDeps): ResourceWithOptions {
  const { prisma, services, components } = deps;
  const reservationStatus = (...statuses: string[]) => (p: Record<string, unknown>) => statuses.includes(String(p.status));
  return {
    resource: modelResource(deps, "Reservation", {
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
      showProperties: [
        "name",
        "email",
        "phone",
        "performance",
        "partySize",
        "status",
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
        personalData: personalDataAction(deps),
        erasePerson: erasePersonAction(deps, async (id) => (await prisma.reservation.findUnique({ where: { id }, select: { email: true } }))?.email ?? null),
        confirmManually: askFirst(deps, {
          label: "Confirm reservation",
          icon: "CheckCircle",
          description: "Confirm this reservation on the visitor's behalf. The seats are taken if still available, and the ticket email is sent.",
          when: reservationStatus("pending", "expired"),
          run: services.confirmReservation,
          done: "Reservation confirmed; the ticket email is on its way.",
        }),
        cancelReservation: askFirst(deps, {
          label: "Cancel reservation",
          icon: "XCircle",
          description: "Cancel this reservation. Its seats become available on the site at once.",
          when: reservationStatus("pending", "confirmed"),
          run: services.cancelReservation,
          done: "Reservation cancelled; its seats are available again.",
        }),
        resendConfirmation: askFirst(deps, {
          label: "Send a new confirmation link",
          icon: "Mail",
          description: "Email the visitor a new confirmation link. Earlier links stop working.",
          when: reservationStatus("pending", "expired"),
          run: services.resendConfirmation,
          done: "A new confirmation link has been sent.",
        }),
        resendTicket: askFirst(deps, {
          label: "Send the ticket again",
          icon: "Send",
          description: "Email the visitor a new ticket. The previous ticket link and QR code stop working.",
          when: reservationStatus("confirmed"),
          run: services.resendTicket,
          done: "A new ticket has been sent.",
        }),
        checkInManually: askFirst(deps, {
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
  };
}
