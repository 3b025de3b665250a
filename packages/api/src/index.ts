export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from "./root.ts";
export type { Context } from "./trpc.ts";
export type { CookieJar, CookieOptions, SessionUser } from "./lib/request.ts";
export { MAX_BATCH_SIZE } from "./trpc.ts";
export { ConfigError, getConfig, loadConfig, setConfig, type AppConfig } from "./config.ts";
export { BOOKED_COOKIE_MAX_AGE_SECONDS, BOOKED_COOKIE_NAME, readBookedCookie, signBookedCookie } from "./booking/booked-cookie.ts";
export { BOOKING_CODE_PATTERN, normaliseBookingCode } from "./booking/booking-code.ts";
export { DomainError, errorData, isDatabaseInputError, isDomainError, REASON_CODES, type Reason } from "./errors.ts";
export { createLogger, getLogger, redactPath, setLogger } from "./logger.ts";
export {
  createSession,
  deleteSessionCookieOptions,
  generateSessionToken,
  invalidateSession,
  invalidateUserSessions,
  purgeExpiredSessions,
  resumeSession,
  SESSION_COOKIE_NAME,
  sessionCookieOptions,
  sessionIdFromToken,
  validateSessionToken,
  type SessionRecord,
  type SessionValidationResult,
} from "./auth/session.service.ts";
export { actorAudit, diffRecords, recordAudit, scrubChanges, type Actor, type AuditEntry } from "./audit/audit.service.ts";
export * from "./admin/index.ts";
export { authenticateUser } from "./auth/auth.service.ts";
export {
  ADMIN_DEVICE_COOKIE_NAME,
  DEVICE_COOKIE_NAME,
  deviceCookieOptions,
  issueDeviceCookie,
  verifyDeviceCookie,
} from "./auth/device-cookie.ts";
export { loginInputSchema, type LoginInput } from "./auth/auth.schema.ts";
export { REPEAT_WINDOW_MS, type CheckInPreview, type CheckInResult, type DoorStats } from "./checkin/checkin.service.ts";
export { availableSeats, performanceSeatSummary, type PerformanceSeatSummary } from "./capacity/capacity.service.ts";
export { updatePerformanceCapacity, type CapacityPatch } from "./performance/capacity-edit.service.ts";
export { adminConfirmReservation, createReservation, confirmReservation, describeConfirmation, expireStaleReservations } from "./booking/booking.service.ts";
export { cancelReservation } from "./cancellation/cancellation.service.ts";
export { resendConfirmationEmail, resendTicketEmail } from "./booking/resend.service.ts";
export { createBookingSchema, type CreateBookingInput } from "./booking/booking.schema.ts";
export { getTicket, cancelTicket, consumeTicketRequest, ticketCalendar } from "./tickets/tickets.service.ts";
export { generateToken, hashToken, rawTokenSchema, tokenInputSchema } from "./lib/tokens.ts";
export { isRawToken, isUuid } from "./lib/ids.ts";
export { isValidTimeZone } from "./lib/ticket-time.ts";
export { ticketUrl, confirmUrl, qrCodes } from "./lib/ticket-assets.ts";
export { deliverSoon } from "./mail/outbox.service.ts";
export { cachedPublicRead, invalidatePublicReads } from "./lib/public-read-cache.ts";
export { consumeRateLimits, holdRateLimits, personKey, RATE_LIMITS, type RateLimitRule } from "./rate-limit/rate-limit.service.ts";
export { clientAddress, UNKNOWN_ADDRESS, type AddressSettings, type AddressSource } from "./rate-limit/client-address.ts";
export { checkReadiness, READINESS_CACHE_MS, type Readiness } from "./health/readiness.service.ts";
export {
  assertBookingOpen,
  assertValidBookingWindow,
  bookingClosesAtOf,
  bookingStateOf,
  nextBookingTransition,
  type BookingState,
  type BookingWindowFacts,
} from "./booking/booking-window.ts";
export {
  cancellationPreview,
  cancelPerformance,
  createBoxOfficeReservation,
  holdersToTell,
  movePerformance,
  type BoxOfficeBooking,
  type PerformanceCancellation,
  type PerformanceMove,
} from "./season/season.service.ts";
export { boxOfficeBookingSchema, type BoxOfficeBookingInput, type PerformanceRunInput, type ReservationChange } from "./season/season.schema.ts";
export { createPerformance, updatePerformance } from "./performance/performance.service.ts";
export type { CreatePerformanceInput, UpdatePerformanceInput } from "./performance/performance.schema.ts";
export { changeReservation, type ReservationChanged } from "./season/reservation-change.service.ts";
export { doorList, type DoorList, type DoorListParty } from "./season/door-list.service.ts";
export { createPerformanceRun, planPerformanceRun, type PerformanceRunPlan } from "./season/performance-run.service.ts";
export {
  confirmWaitlistEntry,
  joinWaitlist,
  leaveWaitlist,
  listWaitlist,
  moveWaitlistEntry,
  offerWaitlistEntryNow,
  removeWaitlistEntry,
  waitlistStatus,
  type WaitlistRow,
  type WaitlistStatus,
} from "./waitlist/waitlist.service.ts";
export { joinWaitlistSchema, type JoinWaitlistInput } from "./waitlist/waitlist.schema.ts";
export { closeStartedWaitlists, lapseExpiredOffers } from "./waitlist/offers.ts";
// GDPR requests about one person (erasure, access), for the back-office.
export { erasePersonalData, exportPersonalData, personalDataAsText, type ErasureReport, type PersonalDataExport } from "./privacy/privacy.service.ts";
export {
  CONTENT_LOCALES,
  contentLocale,
  contentLocaleSchema,
  localize,
  mapUrl,
  pickTranslation,
  type ContentLocale,
  type Translation,
} from "./i18n/translated.ts";
export { googleCalendarUrl } from "./lib/ticket-assets.ts";
export { siteSettings } from "./content/content.service.ts";
