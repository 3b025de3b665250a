import { isRawToken } from "@sipario/api";
import { fail } from "@sveltejs/kit";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { Actions, PageServerLoad } from "./$types";

/**
 * The page behind every waiting-list link. GET only reads (mail scanners open links):
 * confirming the sign-up and leaving the list are POSTs.
 */
export const load: PageServerLoad = async (event) => {
  if (!isRawToken(event.params.token)) return { entry: null };
  try {
    return { entry: await (await serverCaller(event)).waitlist.status({ token: event.params.token, locale: event.locals.locale }) };
  } catch (e) {
    const failure = callFailure(e);
    if (failure.reason === "unknown_token" || failure.reason === "invalid_input") return { entry: null };
    throw e;
  }
};

async function run(event: Parameters<Actions[string]>[0], action: "confirm" | "leave") {
  const caller = await serverCaller(event);
  try {
    if (action === "confirm") await caller.waitlist.confirm({ token: event.params.token! });
    else await caller.waitlist.leave({ token: event.params.token! });
    return { done: action };
  } catch (e) {
    const failure = callFailure(e);
    return fail(failure.status, { reason: failure.reason });
  }
}

export const actions: Actions = {
  confirm: (event) => run(event, "confirm"),
  leave: (event) => run(event, "leave"),
};
