/**
 * The one place where the back-office calls packages/api services for state changes.
 * AdminJS resources and actions call these wrappers, never raw Prisma writes, so the
 * site's API and the back-office share every rule (capacity lock, audit, emails).
 */
import * as api from "@sipario/api";
import type { Actor, AppConfig, SessionUser } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import type { Writable } from "node:stream";

export interface BackofficeServices {
  prisma: PrismaClient;
  config: AppConfig;
}

export function makeServices({ prisma, config }: BackofficeServices) {
  return {
    seatSummary: (ids: string[]) => api.performanceSeatSummary(prisma, ids),
    // Show, venue, seats, start and on-sale window in one transaction under the performance lock.
    createPerformance: (input: api.CreatePerformanceInput, actor: Actor | null) => api.createPerformance(prisma, config, input, { actor: actor ?? undefined }),
    updatePerformance: (id: string, input: api.UpdatePerformanceInput, actor: Actor | null) =>
      api.updatePerformance(prisma, config, id, input, { actor: actor ?? undefined }),
    cancelReservation: (id: string, actor: Actor | null) => api.cancelReservation(prisma, id, { actor: actor ?? undefined, config }),
    confirmReservation: (id: string, actor: Actor | null) => api.adminConfirmReservation(prisma, config, id, { actor: actor ?? undefined }),
    resendConfirmation: (id: string, actor: Actor | null) => api.resendConfirmationEmail(prisma, config, id, { actor: actor ?? undefined }),
    resendTicket: (id: string, actor: Actor | null) => api.resendTicketEmail(prisma, config, id, { actor: actor ?? undefined }),
    checkIn: async (id: string, staff: SessionUser) => {
      const result = await api.manualCheckIn(prisma, id, staff, config);
      // A retry of one's own check-in answers the first one: audited once.
      if (!result.repeated) {
        await api.recordAudit(prisma, { userId: staff.id, actorLabel: staff.email, action: "reservation.check_in", entity: "Reservation", entityId: id });
      }
      return result;
    },
    // Season operations (issue 15): the rules live in packages/api/src/season.
    createBoxOfficeReservation: (input: api.BoxOfficeBookingInput, actor: Actor | null) =>
      api.createBoxOfficeReservation(prisma, config, input, { actor: actor ?? undefined }),
    cancelPerformance: (id: string, actor: Actor | null) => api.cancelPerformance(prisma, config, id, { actor: actor ?? undefined }),
    holdersToTell: (id: string) => api.holdersToTell(prisma, id),
    cancellationPreview: (id: string) => api.cancellationPreview(prisma, id),
    movePerformance: (id: string, change: { startsAt?: Date; venueId?: string }, actor: Actor | null) =>
      api.movePerformance(prisma, config, id, change, { actor: actor ?? undefined }),
    changeReservation: (id: string, change: api.ReservationChange, actor: Actor | null) =>
      api.changeReservation(prisma, config, id, change, { actor: actor ?? undefined }),
    printTicket: (id: string, actor: Actor | null) => api.resendTicketEmail(prisma, config, id, { actor: actor ?? undefined }),
    undoCheckIn: (reservationId: string, admin: SessionUser, reason: string | undefined) => api.undoCheckIn(prisma, reservationId, admin, { reason }),
    retryEmail: async (id: string, actor: Actor | null) => {
      const row = await api.retryEmail(prisma, id, actor ?? {});
      api.deliverSoon(prisma, config, id); // the outbox worker is the safety net
      return row;
    },
    createUser: (input: unknown, actor: Actor | null) => api.createUserAsAdmin(prisma, input, actor ?? {}),
    updateUser: (id: string, input: unknown, actor: Actor | null) => api.updateUserAsAdmin(prisma, id, input, actor ?? {}),
    setAdminLocale: (userId: string, input: unknown) => api.setAdminLocale(prisma, userId, input),
    deleteUser: (id: string, actor: Actor | null) => api.deleteUserAsAdmin(prisma, id, actor ?? {}),
    credentialOf: (userId: string) => prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true, sessionVersion: true } }),
    authenticate: (email: string, password: string, clientAddress: string, deviceCookie: string | null) =>
      api.authenticateUser(prisma, email, password, clientAddress, config, { requireRole: "admin", deviceCookie }),
    issueDeviceCookie: (email: string) => api.issueDeviceCookie(email, config.sessionSecret),
    deviceCookieOptions: () => api.deviceCookieOptions(config, "/admin"),
    // Times on the dashboard are the company's, whatever the admin's computer says.
    dashboard: async () => ({ ...(await api.adminDashboard(prisma, { timeZone: config.TIME_ZONE })), timeZone: config.TIME_ZONE }),
    planPerformanceRun: (input: api.PerformanceRunInput) => api.planPerformanceRun(prisma, config, input),
    createPerformanceRun: (input: api.PerformanceRunInput, actor: Actor | null) =>
      api.createPerformanceRun(prisma, config, input, { actor: actor ?? undefined }),
    doorList: (performanceId: string) => api.doorList(prisma, config, performanceId),
    storePoster: (showId: string, bytes: Buffer, actor: Actor | null) => api.storePoster(prisma, config, showId, bytes, actor),
    // The "Tonight" page: times on the company's clock for the page itself, each performance on its venue's.
    tonight: async (input: api.TonightInput) => ({ ...(await api.tonightBoard(prisma, config, input)), timeZone: config.TIME_ZONE }),
    reservationsCsv: (performanceId: string, language: api.ExportLanguage) => api.reservationsCsv(prisma, performanceId, language),
    writeReservationsXlsx: (performanceId: string, output: Writable, language: api.ExportLanguage) =>
      api.writeReservationsXlsx(prisma, performanceId, output, language),
    reservationsExportName: (performanceId: string) => api.reservationsExportName(prisma, performanceId),
    waitlistPositions: async (performanceIds: string[]) => {
      const positions = new Map<string, number | null>();
      for (const id of performanceIds) for (const row of await api.listWaitlist(prisma, id)) positions.set(row.id, row.position);
      return positions;
    },
    moveWaitlistEntry: (id: string, direction: "up" | "down", actor: Actor | null) => api.moveWaitlistEntry(prisma, config, id, direction, actor ?? {}),
    offerWaitlistEntry: (id: string, actor: Actor | null) => api.offerWaitlistEntryNow(prisma, config, id, actor ?? {}),
    removeWaitlistEntry: (id: string, actor: Actor | null) => api.removeWaitlistEntry(prisma, config, id, actor ?? {}),
    erasePerson: (email: string, actor: Actor | null) => api.erasePersonalData(prisma, config, { email }, actor ?? {}),
    personalData: (email: string, actor: Actor | null) => api.exportPersonalData(prisma, { email }, actor ?? {}),
  };
}

export type Services = ReturnType<typeof makeServices>;
