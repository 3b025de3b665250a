// The door's offline half on the phone (ADR-0009): keeps tonight's manifests fresh while
// online (deltas by cursor), admits from them while offline into a queue in IndexedDB,
// and sends the queue through checkin.sync when the network is back.
import { api, call } from "../client.ts";
import type { DoorConflict, Manifest } from "../types.ts";
import { decideOffline, doorCounts, type OfflineVerdict } from "./decide.ts";
import { addScan, allManifests, allScans, getSetting, putManifest, putScans, putSetting, wipeDoorData, type QueuedScan, type StoredManifest } from "./store.ts";

/** checkin.sync takes at most this many scans per call (CONTRACT). */
const SYNC_BATCH = 500;

function mergeManifest(previous: StoredManifest | undefined, fresh: Manifest): StoredManifest {
  const tickets = fresh.full || !previous ? {} : { ...previous.tickets };
  for (const t of fresh.tickets) tickets[t.tokenHash] = t;
  return {
    performanceId: fresh.performanceId,
    showTitle: fresh.showTitle,
    startsAt: fresh.startsAt,
    venue: fresh.venue,
    cursor: fresh.cursor,
    tickets,
    fetchedAt: new Date().toISOString(),
  };
}

export class Door {
  /** What the browser says, corrected by the last request (a captive Wi-Fi is "online"). */
  online = $state(true);
  manifests: StoredManifest[] = $state([]);
  scans: QueuedScan[] = $state([]);
  conflicts: DoorConflict[] = $state([]);
  deviceId = $state("");
  admitOnScan = $state(false);
  syncing = $state(false);
  /** True once the manifest of the chosen performance is on the phone. */
  ready = $state(false);
  /** Set by wipe(): nothing more is written to the phone (a refresh in flight is dropped). */
  private closed = false;

  constructor(private readonly me: string) {}

  readonly queued = $derived(this.scans.filter((s) => s.state === "queued"));

  async load(): Promise<void> {
    this.online = navigator.onLine;
    let deviceId = await getSetting<string>("deviceId");
    if (!deviceId) {
      deviceId = `door-${crypto.randomUUID()}`;
      await putSetting("deviceId", deviceId);
    }
    this.deviceId = deviceId;
    this.admitOnScan = (await getSetting<boolean>("admitOnScan")) === true;
    this.manifests = await allManifests();
    this.scans = await allScans();
  }

  async setAdmitOnScan(on: boolean): Promise<void> {
    this.admitOnScan = on;
    await putSetting("admitOnScan", on);
  }

  manifest(performanceId: string): StoredManifest | undefined {
    return this.manifests.find((m) => m.performanceId === performanceId);
  }

  counts(performanceId: string) {
    return doorCounts(this.manifest(performanceId), this.scans);
  }

  decide(tokenHash: string, performanceId: string): OfflineVerdict {
    return decideOffline(tokenHash, performanceId, this.manifests, this.scans, this.me);
  }

  /** Downloads (or updates by delta) the manifests of these performances. False when offline. */
  async refresh(performanceIds: string[], chosen: string): Promise<boolean> {
    let reached = true;
    for (const performanceId of performanceIds) {
      const previous = this.manifest(performanceId);
      const r = await call((signal) => api.checkin.manifest.query({ performanceId, ...(previous ? { since: previous.cursor } : {}) }, { signal }));
      if (!r.ok) {
        if (r.error.kind === "network" || r.error.kind === "timeout") reached = false;
        continue;
      }
      if (this.closed) return false;
      const merged = mergeManifest(previous, r.value);
      await putManifest(merged);
      this.manifests = [...this.manifests.filter((m) => m.performanceId !== performanceId), merged];
    }
    this.online = reached && navigator.onLine;
    this.ready = this.manifest(chosen) !== undefined;
    if (this.online) await this.refreshConflicts(chosen);
    return this.online;
  }

  async refreshConflicts(performanceId: string): Promise<void> {
    const r = await call((signal) => api.checkin.conflicts.query({ performanceId }, { signal }));
    if (r.ok && !this.closed) {
      this.conflicts = r.value.items;
      await putSetting(`conflicts:${performanceId}`, $state.snapshot(this.conflicts));
    }
  }

  async loadConflicts(performanceId: string): Promise<void> {
    this.conflicts = (await getSetting<DoorConflict[]>(`conflicts:${performanceId}`)) ?? [];
  }

  /** An online check-in just happened: count it now rather than at the next delta. */
  noteCheckedIn(tokenHash: string, performanceId: string, checkedInAt: string, checkedInBy: string): void {
    const m = this.manifest(performanceId);
    const entry = m?.tickets[tokenHash];
    if (!m || !entry) return;
    const updated = { ...m, tickets: { ...m.tickets, [tokenHash]: { ...entry, checkedInAt, checkedInBy } } };
    this.manifests = [...this.manifests.filter((x) => x.performanceId !== performanceId), updated];
    void putManifest($state.snapshot(updated) as StoredManifest);
  }

  /** Admits a party with no network: the scan waits in IndexedDB for the next sync. */
  async admitOffline(token: string, tokenHash: string, performanceId: string, partySize: number): Promise<QueuedScan> {
    const scan: QueuedScan = {
      id: crypto.randomUUID(),
      token,
      tokenHash,
      performanceId,
      partySize,
      scannedAt: new Date().toISOString(),
      state: "queued",
    };
    await addScan(scan);
    this.scans = [...this.scans, scan];
    return scan;
  }

  /** Sends the queue; returns how many scans came back as conflicts. */
  async sync(performanceId: string): Promise<number> {
    if (this.syncing || this.queued.length === 0) return 0;
    this.syncing = true;
    let conflicts = 0;
    try {
      while (this.queued.length > 0 && !this.closed) {
        const batch = this.queued.slice(0, SYNC_BATCH).map((s) => $state.snapshot(s) as QueuedScan);
        const r = await call(
          (signal) =>
            api.checkin.sync.mutate(
              { deviceId: this.deviceId, scans: batch.map((s) => ({ id: s.id, token: s.token ?? "", scannedAt: s.scannedAt })) },
              { signal },
            ),
          20_000,
        );
        if (!r.ok) {
          if (r.error.kind === "network" || r.error.kind === "timeout") this.online = false;
          return conflicts;
        }
        // Signed out while the batch was on its way: the phone keeps nothing, not even its verdicts.
        if (this.closed) return conflicts;
        const byId = new Map(r.value.results.map((x) => [x.id, x]));
        const done: QueuedScan[] = batch.map((s) => {
          const x = byId.get(s.id);
          if (x?.conflict) conflicts += 1;
          // The server has it: the raw token leaves the phone, the verdict stays for the screen.
          return x
            ? { ...s, token: null, state: "synced", outcome: x.outcome, ...(x.reason ? { reason: x.reason } : {}), ...(x.conflict ? { conflict: true } : {}) }
            : s;
        });
        await putScans(done);
        const updated = new Map(done.map((s) => [s.id, s]));
        this.scans = this.scans.map((s) => updated.get(s.id) ?? s);
      }
      this.online = true;
    } finally {
      this.syncing = false;
    }
    await this.refreshConflicts(performanceId);
    return conflicts;
  }

  /**
   * Sign-out: the manifests, the scan history and the cached scanner page (it names the
   * staff member and tonight's performances) leave the phone. The app's code stays cached.
   */
  async wipe(): Promise<void> {
    this.closed = true;
    await wipeDoorData();
    this.manifests = [];
    this.scans = [];
    this.conflicts = [];
    if ("caches" in globalThis) {
      for (const key of await caches.keys()) {
        if (!key.startsWith("sipario-door-")) continue;
        const cache = await caches.open(key);
        for (const page of ["/staff/scan", "/staff/scan/__data.json"]) await cache.delete(page);
      }
    }
  }
}
