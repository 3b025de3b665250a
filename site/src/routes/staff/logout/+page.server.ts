import { redirect } from "@sveltejs/kit";
import { serverCaller } from "$lib/server/trpc";
import type { Actions, PageServerLoad } from "./$types";

// GET only shows a button: signing out changes state, so it is a POST (CSRF-checked by kit).
export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.user) redirect(303, "/staff/login");
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    const caller = await serverCaller(event);
    await caller.auth.logout();
    event.locals.user = null;
    event.locals.sessionId = null;
    redirect(303, "/staff/login");
  },
};
