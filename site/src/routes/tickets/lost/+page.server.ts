import { fail } from "@sveltejs/kit";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { Actions } from "./$types";

export const actions: Actions = {
  default: async (event) => {
    const value = (await event.request.formData()).get("email");
    const email = typeof value === "string" ? value.slice(0, 300) : "";
    try {
      // The same answer whether the address has bookings or not: the links go only to it.
      await (await serverCaller(event)).tickets.lost({ email, locale: event.locals.locale });
    } catch (e) {
      const failure = callFailure(e);
      if (failure.reason === "invalid_input") return fail(400, { email, error: "email" as const });
      if (failure.reason === "rate_limited") return fail(429, { email, error: "rate_limited" as const });
      throw e;
    }
    return { sent: true as const, email };
  },
};
