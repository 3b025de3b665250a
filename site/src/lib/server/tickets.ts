import { error } from "@sveltejs/kit";
import { callFailure } from "./trpc.ts";

/**
 * A ticket lookup failed: answer with the right status and a code the error page turns
 * into a clear explanation (unknown, cancelled, not confirmed).
 */
export function ticketError(e: unknown): never {
  const failure = callFailure(e);
  if (failure.reason === "unknown_token" || failure.reason === "invalid_input" || failure.reason === "not_found") {
    error(404, { message: "Not found", code: "ticket_unknown" });
  }
  if (failure.reason === "reservation_not_confirmed") {
    if (failure.data.status === "cancelled") {
      // Still 410 for programs; people get the date and the show's other dates (+error.svelte).
      const show = failure.data.show as App.Error["show"];
      error(410, { message: "Gone", code: "ticket_cancelled", cancelledAt: (failure.data.cancelledAt as string | null) ?? null, show });
    }
    error(409, { message: "Conflict", code: "ticket_not_confirmed" });
  }
  error(failure.status, { message: failure.message });
}
