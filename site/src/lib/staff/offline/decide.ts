// The door's offline verdict on a scanned ticket, from the downloaded manifests and this
// phone's own queue: the same outcomes (and reasons) the server gives online.
import type { QueuedScan, StoredManifest } from "./store.ts";

export type OfflineVerdict =
  | { kind: "valid"; partySize: number; hasNotes: boolean; showTitle: string; startsAt: string; venueName: string }
  | { kind: "refused"; reason: string; data: Record<string, unknown> };

/**
 * `tokenHash` scanned at the door of `performanceId`:
 * - in this performance's manifest: cancelled/not confirmed, already in (checked in on the
 *   server as of the last download, or admitted by this phone since), else valid;
 * - in another of today's manifests: wrong_performance, with that show and time;
 * - nowhere: unknown_token (a forged code, or a ticket for another day).
 */
export function decideOffline(tokenHash: string, performanceId: string, manifests: StoredManifest[], localScans: QueuedScan[], me: string): OfflineVerdict {
  const mine = manifests.find((m) => m.performanceId === performanceId);
  const entry = mine?.tickets[tokenHash];
  if (!mine || !entry) {
    const other = manifests.find((m) => m.performanceId !== performanceId && m.tickets[tokenHash]);
    if (other) return { kind: "refused", reason: "wrong_performance", data: { showTitle: other.showTitle, startsAt: other.startsAt } };
    return { kind: "refused", reason: "unknown_token", data: {} };
  }
  if (entry.status !== "confirmed") return { kind: "refused", reason: "reservation_not_confirmed", data: { status: entry.status } };
  const admittedHere = localScans.find((s) => s.tokenHash === tokenHash && s.performanceId === performanceId && s.outcome !== "refused");
  if (admittedHere) return { kind: "refused", reason: "already_checked_in", data: { checkedInAt: admittedHere.scannedAt, checkedInBy: me } };
  if (entry.checkedInAt) {
    return { kind: "refused", reason: "already_checked_in", data: { checkedInAt: entry.checkedInAt, checkedInBy: entry.checkedInBy ?? "" } };
  }
  return {
    kind: "valid",
    partySize: entry.partySize,
    hasNotes: entry.hasNotes,
    showTitle: mine.showTitle,
    startsAt: mine.startsAt,
    venueName: mine.venue.name,
  };
}

export interface DoorCounts {
  confirmedParties: number;
  confirmedSeats: number;
  checkedInParties: number;
  checkedInPeople: number;
  toArriveParties: number;
  toArrivePeople: number;
}

/** Checked in / to arrive: the server's check-ins (as of the last download) merged with this phone's queue. */
export function doorCounts(manifest: StoredManifest | undefined, localScans: QueuedScan[]): DoorCounts | null {
  if (!manifest) return null;
  // Admitted by this phone (sent or not): counted until the manifest says so itself.
  const admittedHere = new Set(localScans.filter((s) => s.performanceId === manifest.performanceId && s.outcome !== "refused").map((s) => s.tokenHash));
  let confirmedParties = 0;
  let confirmedSeats = 0;
  let checkedInParties = 0;
  let checkedInPeople = 0;
  for (const [hash, t] of Object.entries(manifest.tickets)) {
    if (t.status !== "confirmed") continue;
    confirmedParties += 1;
    confirmedSeats += t.partySize;
    if (t.checkedInAt || admittedHere.has(hash)) {
      checkedInParties += 1;
      checkedInPeople += t.partySize;
    }
  }
  return {
    confirmedParties,
    confirmedSeats,
    checkedInParties,
    checkedInPeople,
    toArriveParties: confirmedParties - checkedInParties,
    toArrivePeople: confirmedSeats - checkedInPeople,
  };
}
