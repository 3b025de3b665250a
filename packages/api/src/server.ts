/** Server-only pieces: background jobs and mail delivery (never imported by browser code). */
export { startBackgroundJobs, runExclusive, JOB_LOCKS, type BackgroundJobs } from "./jobs/jobs.service.ts";
export { startProcessJobs, stopProcessJobs } from "./jobs/process-jobs.ts";
export { createMailTransport, getMailTransport, setMailTransport, type MailTransport } from "./mail/transport.ts";
export {
  deliverPendingEmails,
  deliverSoon,
  enqueueEmail,
  flushImmediateDeliveries,
  type DeliveryOptions,
  type DeliveryReport,
  type EnqueueEmail,
} from "./mail/outbox.service.ts";
export { expireStaleReservations } from "./booking/booking.service.ts";
