import type { ResourceWithOptions } from "adminjs";
import { readOnlyActions } from "../actions.ts";
import { bookings, modelResource, type ResourceDeps } from "./shared.ts";

/**
 * The door report: every scan a door made without a network and sent later
 * (checkin.sync). Filter on "conflict" to see the tickets admitted at two doors: both
 * scans are marked, and the reservation's check-in names the earliest (ADR-0009).
 */
export function doorScanResource(deps: ResourceDeps): ResourceWithOptions {
  return {
    resource: modelResource(deps, "DoorScan"),
    options: {
      navigation: bookings,
      listProperties: ["reservation", "scannedAt", "user", "deviceId", "outcome", "conflict", "reason"],
      filterProperties: ["conflict", "outcome", "user", "scannedAt", "receivedAt"],
      showProperties: ["reservation", "scannedAt", "receivedAt", "user", "deviceId", "outcome", "reason", "conflict"],
      sort: { sortBy: "scannedAt", direction: "desc" },
      actions: readOnlyActions,
    },
  };
}
