import type { RouterOutputs } from "@sipario/api";

export type Preview = RouterOutputs["checkin"]["preview"];
export type CheckedIn = RouterOutputs["checkin"]["confirm"];
export type DoorStats = RouterOutputs["checkin"]["doorStats"];
export type TodayPerformance = RouterOutputs["checkin"]["performancesToday"]["items"][number];
export type SearchItem = RouterOutputs["checkin"]["search"]["items"][number];
export type Manifest = RouterOutputs["checkin"]["manifest"];
export type ManifestTicket = Manifest["tickets"][number];
export type SyncResult = RouterOutputs["checkin"]["sync"]["results"][number];
export type DoorConflict = RouterOutputs["checkin"]["conflicts"]["items"][number];
export type DoorListItem = RouterOutputs["checkin"]["doorList"]["items"][number];
