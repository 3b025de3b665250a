import type { AppRouter } from "@sipario/api";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";

/** The browser's tRPC client: same origin, cookie session, plain JSON (no transformer). */
export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "/api/trpc", maxItems: 4 })],
});

export const REQUEST_TIMEOUT_MS = 8_000;

export type CallError =
  | { kind: "refused"; reason: string; message: string; data: Record<string, unknown> }
  | { kind: "session"; reason: string }
  | { kind: "timeout" }
  | { kind: "network" }
  | { kind: "server"; reason: string };

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError };

/**
 * Runs one request with a deadline. A slow venue network must end in a clear "no answer,
 * retry" rather than a spinner forever; every outcome is a value, never a throw.
 */
export async function call<T>(fn: (signal: AbortSignal) => Promise<T>, timeoutMs = REQUEST_TIMEOUT_MS): Promise<CallResult<T>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return { ok: true, value: await fn(controller.signal) };
  } catch (error) {
    if (controller.signal.aborted) return { ok: false, error: { kind: "timeout" } };
    return { ok: false, error: classify(error) };
  } finally {
    clearTimeout(timer);
  }
}

function classify(error: unknown): CallError {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as Record<string, unknown> & { reason?: string; httpStatus?: number };
    const reason = typeof data.reason === "string" ? data.reason : "internal_error";
    if (!error.data) return { kind: "network" }; // no tRPC body: the request never got an answer
    if (reason === "unauthenticated" || reason === "forbidden") return { kind: "session", reason };
    if ((data.httpStatus ?? 500) >= 500 || reason === "internal_error" || reason === "unavailable") return { kind: "server", reason };
    return { kind: "refused", reason, message: error.message, data };
  }
  return { kind: "network" };
}
