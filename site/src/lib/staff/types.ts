import type { RouterOutputs } from "@sipario/api";

export type Preview = RouterOutputs["checkin"]["preview"];
export type CheckedIn = RouterOutputs["checkin"]["confirm"];
export type DoorStats = RouterOutputs["checkin"]["doorStats"];
export type TodayPerformance = RouterOutputs["checkin"]["performancesToday"]["items"][number];
export type SearchItem = RouterOutputs["checkin"]["search"]["items"][number];
