import type { ResourceWithOptions } from "adminjs";
import { auditLogResource } from "./audit-log.ts";
import { checkInResource } from "./check-in.ts";
import { doorScanResource } from "./door-scan.ts";
import { emailOutboxResource } from "./email-outbox.ts";
import { pageResource } from "./page.ts";
import { performanceResource } from "./performance.ts";
import { reservationTokenResource } from "./reservation-token.ts";
import { reservationResource } from "./reservation.ts";
import type { ResourceDeps } from "./shared.ts";
import { showResource } from "./show.ts";
import { siteSettingResource } from "./site-setting.ts";
import { userResource } from "./user.ts";
import { venueResource } from "./venue.ts";
import { waitlistEntryResource } from "./waitlist-entry.ts";

export type { ComponentIds, ResourceDeps } from "./shared.ts";

/** Every resource of the back-office, in menu order; one file per resource. */
export function buildResources(deps: ResourceDeps): ResourceWithOptions[] {
  return [
    showResource(deps),
    venueResource(deps),
    performanceResource(deps),
    reservationResource(deps),
    waitlistEntryResource(deps),
    reservationTokenResource(deps),
    checkInResource(deps),
    doorScanResource(deps),
    pageResource(deps),
    siteSettingResource(deps),
    userResource(deps),
    emailOutboxResource(deps),
    auditLogResource(deps),
  ];
}
