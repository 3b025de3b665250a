import { fail } from "@sveltejs/kit";
import { bookingReceipt } from "$lib/server/booking";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { Actions, PageServerLoad } from "./$types";

/** A receipt that is malformed, forged, expired or names no booking: "no recent booking". */
const isMissing = (reason: string) => reason === "not_found" || reason === "invalid_input";

export const load: PageServerLoad = async (event) => {
  const receipt = bookingReceipt(event.cookies);
  if (!receipt) return { booking: null };
  try {
    return { booking: await (await serverCaller(event)).booking.summary({ receipt, locale: event.locals.locale }) };
  } catch (e) {
    if (isMissing(callFailure(e).reason)) return { booking: null };
    throw e;
  }
};

export const actions: Actions = {
  /** A new confirmation email; booking.resend allows one a minute per booking. */
  resend: async (event) => {
    const receipt = bookingReceipt(event.cookies);
    if (!receipt) return fail(404, { resend: "missing" as const });
    try {
      await (await serverCaller(event)).booking.resend({ receipt });
    } catch (e) {
      const failure = callFailure(e);
      if (isMissing(failure.reason)) return fail(404, { resend: "missing" as const });
      if (failure.reason === "rate_limited") return fail(429, { resend: "too_soon" as const });
      // Confirmed or cancelled meanwhile, or the performance has started.
      if (failure.status === 409) return fail(409, { resend: "cannot" as const });
      throw e;
    }
    return { resend: "sent" as const };
  },
};
