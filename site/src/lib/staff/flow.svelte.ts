import { api, call, type CallError } from "./client.ts";
import { signal } from "./feedback.ts";
import type { Door } from "./offline/door.svelte.ts";
import type { OfflineVerdict } from "./offline/decide.ts";
import { sha256Hex } from "./offline/store.ts";
import type { CheckedIn, Preview } from "./types.ts";

/** From this many people, admit-on-scan still stops for a tap (the door counts them in). */
export const LARGE_PARTY = 5;

/** What the card shows before admitting: the server's preview, or the manifest's offline. */
export type PreviewInfo = Pick<Preview, "partySize" | "showTitle" | "startsAt"> &
  Partial<Pick<Preview, "performanceId" | "name" | "notes" | "reservationId">> & { hasNotes?: boolean };

/** What the card shows after admitting. */
export type Admission = Pick<CheckedIn, "partySize" | "showTitle" | "startsAt" | "checkedInAt" | "checkedInBy"> &
  Partial<Pick<CheckedIn, "reservationId" | "repeated" | "name" | "notes">>;

export type FlowState =
  | { kind: "ready" }
  | { kind: "busy"; step: "preview" | "confirm" | "undo" }
  | { kind: "preview"; token: string; tokenHash?: string; preview: PreviewInfo; offline?: boolean }
  | { kind: "done"; result: Admission; offline?: boolean; auto?: boolean }
  | { kind: "undone"; result: Admission }
  | { kind: "refused"; reason: string; data: Record<string, unknown>; offline?: boolean }
  | { kind: "failed"; error: Exclude<CallError, { kind: "refused" }> };

const lostNetwork = (error: CallError) => error.kind === "network" || error.kind === "timeout";

/**
 * One ticket at a time: scan -> preview -> confirm -> ready. Every request can be
 * retried: a confirm whose answer was lost is safe to send again (the server answers
 * the same check-in with `repeated: true`). With a Door (the scanner page), a scan with
 * no network is decided from the manifest and queued; in admit-on-scan mode a valid
 * ticket is admitted with one request (large parties and notes still stop for a tap).
 */
export class CheckInFlow {
  state: FlowState = $state({ kind: "ready" });
  private lastAttempt: (() => Promise<void>) | null = null;

  constructor(
    private readonly door: Door | null = null,
    private readonly performanceId: () => string = () => "",
  ) {}

  get idle(): boolean {
    return this.state.kind === "ready";
  }

  reset(): void {
    this.state = { kind: "ready" };
    this.lastAttempt = null;
  }

  retry(): Promise<void> | undefined {
    return this.lastAttempt?.();
  }

  /** Stops for a look before admitting: a large party, or notes from the visitor. */
  static needsLook(p: { partySize: number; hasNotes?: boolean; notes?: string | null }): boolean {
    return p.partySize >= LARGE_PARTY || p.hasNotes === true || Boolean(p.notes?.trim());
  }

  /** The scanner's entry point: one request online, none offline. */
  scan(token: string): Promise<void> {
    const door = this.door;
    const performanceId = this.performanceId();
    if (!door || !performanceId) return this.preview(token);
    const attempt = async () => {
      this.state = { kind: "busy", step: "preview" };
      const tokenHash = await sha256Hex(token);
      const local = door.decide(tokenHash, performanceId);
      if (!navigator.onLine) return this.decideOffline(door, token, tokenHash, local, performanceId);
      if (door.admitOnScan && local.kind === "valid" && !CheckInFlow.needsLook(local)) {
        const r = await call((signal) => api.checkin.confirm.mutate({ token, performanceId }, { signal }));
        if (r.ok) return this.admitted(r.value, tokenHash, performanceId, true);
        // No answer: decide here. If the request did reach the server, the sync recognises
        // the same person's check-in moments apart as one admission.
        if (lostNetwork(r.error)) return this.decideOffline(door, token, tokenHash, local, performanceId);
        return this.fail(r.error);
      }
      const r = await call((signal) => api.checkin.preview.query({ token, performanceId }, { signal }));
      if (r.ok) {
        door.online = true;
        this.state = { kind: "preview", token, tokenHash, preview: r.value };
        signal("valid");
      } else if (lostNetwork(r.error)) return this.decideOffline(door, token, tokenHash, local, performanceId);
      else this.fail(r.error);
    };
    this.lastAttempt = attempt;
    return attempt();
  }

  private async decideOffline(door: Door, token: string, tokenHash: string, verdict: OfflineVerdict, performanceId: string): Promise<void> {
    door.online = false;
    if (verdict.kind === "refused") {
      this.state = { kind: "refused", reason: verdict.reason, data: verdict.data, offline: true };
      signal("refused");
      return;
    }
    const preview: PreviewInfo = {
      partySize: verdict.partySize,
      showTitle: verdict.showTitle,
      startsAt: verdict.startsAt,
      performanceId,
      hasNotes: verdict.hasNotes,
    };
    if (door.admitOnScan && !CheckInFlow.needsLook(verdict)) {
      await this.admitOffline(door, token, tokenHash, preview, performanceId, true);
      return;
    }
    this.state = { kind: "preview", token, tokenHash, preview, offline: true };
    signal("valid");
  }

  private async admitOffline(door: Door, token: string, tokenHash: string, p: PreviewInfo, performanceId: string, auto: boolean) {
    const scan = await door.admitOffline(token, tokenHash, performanceId, p.partySize);
    this.state = {
      kind: "done",
      offline: true,
      auto,
      result: { partySize: p.partySize, showTitle: p.showTitle, startsAt: p.startsAt, checkedInAt: scan.scannedAt, checkedInBy: "" },
    };
    signal("success");
  }

  private admitted(result: CheckedIn, tokenHash: string | undefined, performanceId: string, auto: boolean) {
    if (this.door) this.door.online = true;
    if (this.door && tokenHash) this.door.noteCheckedIn(tokenHash, performanceId || result.performanceId, result.checkedInAt, result.checkedInBy);
    this.state = { kind: "done", result, auto };
    signal("success");
  }

  preview(token: string): Promise<void> {
    const attempt = async () => {
      this.state = { kind: "busy", step: "preview" };
      const r = await call((signal) => api.checkin.preview.query({ token }, { signal }));
      if (r.ok) {
        this.state = { kind: "preview", token, preview: r.value };
        signal("valid");
      } else this.fail(r.error);
    };
    this.lastAttempt = attempt;
    return attempt();
  }

  confirm(): Promise<void> {
    const s = this.state;
    if (s.kind !== "preview") return Promise.resolve();
    if (s.offline && this.door && s.tokenHash) return this.admitOffline(this.door, s.token, s.tokenHash, s.preview, this.performanceId(), false);
    const { token, tokenHash } = s;
    const performanceId = this.performanceId();
    return this.confirmWith((signal) => api.checkin.confirm.mutate({ token, ...(performanceId ? { performanceId } : {}) }, { signal }), tokenHash);
  }

  manual(reservationId: string): Promise<void> {
    return this.confirmWith((signal) => api.checkin.manual.mutate({ reservationId }, { signal }));
  }

  /** Takes back the check-in on screen (the same staff member, within minutes; see undo.service.ts). */
  undo(): Promise<void> {
    const s = this.state;
    if (s.kind !== "done" || s.offline || !s.result.reservationId) return Promise.resolve();
    const { result } = s;
    const reservationId = s.result.reservationId;
    const attempt = async () => {
      this.state = { kind: "busy", step: "undo" };
      const r = await call((signal) => api.checkin.undo.mutate({ reservationId }, { signal }));
      if (r.ok) {
        this.state = { kind: "undone", result };
        void this.door?.refresh([this.performanceId()].filter(Boolean), this.performanceId());
      } else this.fail(r.error);
    };
    this.lastAttempt = attempt;
    return attempt();
  }

  private confirmWith(send: (signal: AbortSignal) => Promise<CheckedIn>, tokenHash?: string): Promise<void> {
    const attempt = async () => {
      this.state = { kind: "busy", step: "confirm" };
      const r = await call(send);
      if (r.ok) this.admitted(r.value, tokenHash, this.performanceId(), false);
      else this.fail(r.error);
    };
    this.lastAttempt = attempt;
    return attempt();
  }

  private fail(error: CallError): void {
    if (error.kind === "refused") {
      this.state = { kind: "refused", reason: error.reason, data: error.data };
      signal("refused");
    } else {
      this.state = { kind: "failed", error };
      signal("failed");
    }
  }
}
