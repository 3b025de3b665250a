import { getConfig } from "@sipario/api";
import { error, fail, redirect } from "@sveltejs/kit";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { Actions, PageServerLoad } from "./$types";

const FIELDS = ["name", "email", "phone", "partySize"] as const;
type Field = (typeof FIELDS)[number];

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** The waiting-list form of one performance; the booking page posts here when it is full. */
export const load: PageServerLoad = async (event) => {
  const caller = await serverCaller(event);
  try {
    const performance = await caller.catalogue.performance({ id: event.params.id, locale: event.locals.locale });
    const party = event.url.searchParams.get("party") ?? "";
    return { performance, maxPartySize: getConfig().MAX_PARTY_SIZE, party: /^\d{1,2}$/.test(party) ? party : "" };
  } catch (e) {
    const failure = callFailure(e);
    if (failure.status === 404 || failure.status === 400) error(404, "Not found");
    throw e;
  }
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((f) => [f, text(form, f).slice(0, 2000)])) as Record<Field, string>;
    const caller = await serverCaller(event);
    try {
      await caller.waitlist.join({
        performanceId: event.params.id,
        name: values.name,
        email: values.email,
        phone: values.phone.trim() || undefined,
        partySize: (values.partySize.trim() === "" ? undefined : Number(values.partySize)) as number,
        locale: event.locals.locale,
      });
    } catch (e) {
      const failure = callFailure(e);
      if (failure.reason === "not_found") error(404, "Not found");
      const errors: Record<string, string> = {};
      if (failure.reason === "invalid_input") {
        for (const path of Object.keys(failure.fields)) {
          const field = FIELDS.find((f) => path === f || path.startsWith(`${f}.`));
          errors[field ?? "form"] = field ?? "generic";
        }
        if (Object.keys(errors).length === 0) errors.partySize = "partySize";
      } else {
        errors.form = failure.reason;
      }
      return fail(failure.status, { values, errors });
    }
    redirect(303, "/waitlist/sent");
  },
};
