/**
 * The one place where the back-office calls packages/api services for state changes.
 * AdminJS resources and actions call these wrappers, never raw Prisma writes, so the
 * site's API and the back-office share every rule (capacity lock, audit, emails).
 */
import * as api from "@sipario/api";
import type { AppConfig, SessionUser } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import type { AdminActor } from "./sipario-resource.ts";
import type { Writable } from "node:stream";

const actorOf = (actor: AdminActor | null) => (actor ? { userId: actor.id, label: actor.email } : undefined);

export interface BackofficeServices {
  prisma: PrismaClient;
  config: AppConfig;
}

export function makeServices({ prisma, config }: BackofficeServices) {
  return {
    seatSummary: (ids: string[]) => api.performanceSeatSummary(prisma, ids),
    updateCapacity: (id: string, patch: api.CapacityPatch, actor: AdminActor | null) =>
      api.updatePerformanceCapacity(prisma, id, patch, { actor: actorOf(actor), config }),
    cancelReservation: (id: string, actor: AdminActor | null) => api.cancelReservation(prisma, id, { actor: actorOf(actor), config }),
    confirmReservation: (id: string, actor: AdminActor | null) => api.adminConfirmReservation(prisma, config, id, { actor: actorOf(actor) }),
    resendConfirmation: (id: string, actor: AdminActor | null) => api.resendConfirmationEmail(prisma, config, id, { actor: actorOf(actor) }),
    resendTicket: (id: string, actor: AdminActor | null) => api.resendTicketEmail(prisma, config, id, { actor: actorOf(actor) }),
    checkIn: async (id: string, staff: SessionUser) => {
      const result = await api.manualCheckIn(prisma, id, staff, config);
      // A retry of one's own check-in answers the first one: audited once.
      if (!result.repeated) {
        await api.recordAudit(prisma, { userId: staff.id, actorLabel: staff.email, action: "reservation.check_in", entity: "Reservation", entityId: id });
      }
      return result;
    },
    // Season operations (issue 15): the rules live in packages/api/src/season.
    createBoxOfficeReservation: (input: api.BoxOfficeBookingInput, actor: AdminActor | null) =>
      api.createBoxOfficeReservation(prisma, config, input, { actor: actorOf(actor) }),
    cancelPerformance: (id: string, actor: AdminActor | null) => api.cancelPerformance(prisma, config, id, { actor: actorOf(actor) }),
    holdersToTell: (id: string) => api.holdersToTell(prisma, id),
    setBookingWindow: (id: string, window: { opensAt?: Date | null; closesAt?: Date | null }) => api.setBookingWindow(prisma, id, window),
    cancellationPreview: (id: string) => api.cancellationPreview(prisma, id),
    movePerformance: (id: string, change: { startsAt?: Date; venueId?: string }, actor: AdminActor | null) =>
      api.movePerformance(prisma, config, id, change, { actor: actorOf(actor) }),
    changeReservation: (id: string, change: api.ReservationChange, actor: AdminActor | null) =>
      api.changeReservation(prisma, config, id, change, { actor: actorOf(actor) }),
    printTicket: (id: string, actor: AdminActor | null) => api.resendTicketEmail(prisma, config, id, { actor: actorOf(actor) }),
    undoCheckIn: (reservationId: string, admin: SessionUser, reason: string | undefined) => api.undoCheckIn(prisma, reservationId, admin, { reason }),
    retryEmail: async (id: string, actor: AdminActor | null) => {
      const row = await api.retryEmail(prisma, id, { userId: actor?.id ?? null, label: actor?.email });
      api.deliverSoon(prisma, config, id); // the outbox worker is the safety net
      return row;
    },
    createUser: (input: unknown, actor: AdminActor | null) => api.createUserAsAdmin(prisma, input, { userId: actor?.id ?? null, label: actor?.email }),
    updateUser: (id: string, input: unknown, actor: AdminActor | null) =>
      api.updateUserAsAdmin(prisma, id, input, { userId: actor?.id ?? null, label: actor?.email }),
    setAdminLocale: (userId: string, input: unknown) => api.setAdminLocale(prisma, userId, input),
    deleteUser: (id: string, actor: AdminActor | null) => api.deleteUserAsAdmin(prisma, id, { userId: actor?.id ?? null, label: actor?.email }),
    credentialOf: (userId: string) => prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true, sessionVersion: true } }),
    authenticate: (email: string, password: string, clientAddress: string, deviceCookie: string | null) =>
      api.authenticateUser(prisma, email, password, clientAddress, config, { requireRole: "admin", deviceCookie }),
    issueDeviceCookie: (email: string) => api.issueDeviceCookie(email, config.sessionSecret),
    deviceCookieOptions: () => api.deviceCookieOptions(config, "/admin"),
    // Times on the dashboard are the company's, whatever the admin's computer says.
    dashboard: async () => ({ ...(await api.adminDashboard(prisma, { timeZone: config.TIME_ZONE })), timeZone: config.TIME_ZONE }),
    planPerformanceRun: (input: api.PerformanceRunInput) => api.planPerformanceRun(prisma, config, input),
    createPerformanceRun: (input: api.PerformanceRunInput, actor: AdminActor | null) =>
      api.createPerformanceRun(prisma, config, input, { actor: actorOf(actor) }),
    doorList: (performanceId: string) => api.doorList(prisma, config, performanceId),
    reservationsCsv: (performanceId: string, language: api.ExportLanguage) => api.reservationsCsv(prisma, performanceId, language),
    writeReservationsXlsx: (performanceId: string, output: Writable, language: api.ExportLanguage) =>
      api.writeReservationsXlsx(prisma, performanceId, output, language),
    reservationsExportName: (performanceId: string) => api.reservationsExportName(prisma, performanceId),
    waitlistPositions: async (performanceIds: string[]) => {
      const positions = new Map<string, number | null>();
      for (const id of performanceIds) for (const row of await api.listWaitlist(prisma, id)) positions.set(row.id, row.position);
      return positions;
    },
    moveWaitlistEntry: (id: string, direction: "up" | "down", actor: AdminActor | null) =>
      api.moveWaitlistEntry(prisma, config, id, direction, actorOf(actor) ?? {}),
    offerWaitlistEntry: (id: string, actor: AdminActor | null) => api.offerWaitlistEntryNow(prisma, config, id, actorOf(actor) ?? {}),
    removeWaitlistEntry: (id: string, actor: AdminActor | null) => api.removeWaitlistEntry(prisma, config, id, actorOf(actor) ?? {}),
    erasePerson: (email: string, actor: AdminActor | null) => api.erasePersonalData(prisma, config, { email }, actorOf(actor) ?? {}),
    personalData: (email: string, actor: AdminActor | null) => api.exportPersonalData(prisma, { email }, actorOf(actor) ?? {}),
  };
}

export type Services = ReturnType<typeof makeServices>;
