// The back-office's services. Rate limiting is re-exported here for its login form.
export { adminDashboard, dayBounds, type DashboardData } from "./dashboard.service.ts";
export { csvCell, type ExportLanguage, RESERVATION_CSV_COLUMNS, reservationsCsv, reservationsExportName, writeReservationsXlsx } from "./export.service.ts";
export {
  ADMIN_LOCALES,
  adminLocaleSchema,
  adminUserCreateSchema,
  adminUserUpdateSchema,
  createUserAsAdmin,
  deleteUserAsAdmin,
  setAdminLocale,
  updateUserAsAdmin,
  type AdminLocale,
  type AdminUserCreate,
  type AdminUserUpdate,
} from "./users.service.ts";
export { retryEmail } from "./outbox-admin.service.ts";
export { consumeRateLimits, RATE_LIMITS, type RateLimitRule } from "../rate-limit/rate-limit.service.ts";
// Used by the back-office's check-in action; re-exported here until checkin's owner does.
export { manualCheckIn } from "../checkin/checkin.service.ts";
// The one undo rule (the staff member within minutes, admins any time), for the admin action.
export { UNDO_WINDOW_MS, undoCheckIn, type UndoneCheckIn } from "../checkin/undo.service.ts";
export { doorConflicts, type DoorConflict } from "../checkin/door.service.ts";
// The back-office's "Tonight" page (issue 17).
export { tonightBoard, tonightInputSchema, type TonightBoard, type TonightInput, type TonightParty, type TonightPerformance } from "./tonight.service.ts";
// Uploaded posters (issue 17): stored by the back-office, served by the site.
export { POSTER_LIMITS, POSTER_URL_PREFIX, posterFile, storePoster, type PosterProblem } from "./poster.service.ts";
