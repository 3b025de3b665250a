import { fail, redirect } from "@sveltejs/kit";
import { callFailure, serverCaller } from "$lib/server/trpc";
import { isStaff, safeNext } from "$lib/staff/next";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ locals, url }) => {
  const next = safeNext(url.searchParams.get("next"), url.origin);
  if (isStaff(locals.user)) redirect(303, next);
  return { next };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get("email") ?? "").slice(0, 300);
    const password = String(form.get("password") ?? "");
    const next = safeNext(form.get("next"), event.url.origin);
    try {
      const caller = await serverCaller(event);
      await caller.auth.login({ email, password });
    } catch (error) {
      const failure = callFailure(error);
      const retryAfter = Number(failure.data.retryAfterSeconds ?? 0);
      // The email goes back into the form; the password never does.
      return fail(failure.status, {
        email,
        reason: failure.reason,
        fields: Object.keys(failure.fields),
        retryAfterMinutes: retryAfter > 0 ? Math.ceil(retryAfter / 60) : undefined,
      });
    }
    redirect(303, next);
  },
};
