import { api, call, type CallError } from "./client.ts";
import { signal } from "./feedback.ts";
import type { CheckedIn, Preview } from "./types.ts";

export type FlowState =
  | { kind: "ready" }
  | { kind: "busy"; step: "preview" | "confirm" }
  | { kind: "preview"; token: string; preview: Preview }
  | { kind: "done"; result: CheckedIn }
  | { kind: "refused"; reason: string; data: Record<string, unknown> }
  | { kind: "failed"; error: Exclude<CallError, { kind: "refused" }> };

/**
 * One ticket at a time: scan -> preview -> confirm -> ready. Every request can be
 * retried: a confirm whose answer was lost is safe to send again (the server answers
 * the same check-in with `repeated: true`).
 */
export class CheckInFlow {
  state: FlowState = $state({ kind: "ready" });
  private lastAttempt: (() => Promise<void>) | null = null;

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
    if (this.state.kind !== "preview") return Promise.resolve();
    const token = this.state.token;
    return this.confirmWith((signal) => api.checkin.confirm.mutate({ token }, { signal }));
  }

  manual(reservationId: string): Promise<void> {
    return this.confirmWith((signal) => api.checkin.manual.mutate({ reservationId }, { signal }));
  }

  private confirmWith(send: (signal: AbortSignal) => Promise<CheckedIn>): Promise<void> {
    const attempt = async () => {
      this.state = { kind: "busy", step: "confirm" };
      const r = await call(send);
      if (r.ok) {
        this.state = { kind: "done", result: r.value };
        signal("success");
      } else this.fail(r.error);
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
