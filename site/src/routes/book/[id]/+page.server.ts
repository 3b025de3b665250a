import { getConfig } from "@sipario/api";
import { error, fail, redirect } from "@sveltejs/kit";
import { rememberBooking } from "$lib/server/booking";
import { callFailure, serverCaller } from "$lib/server/trpc";
import type { Actions, PageServerLoad } from "./$types";

const FIELDS = ["name", "email", "phone", "partySize", "notes"] as const;
type Field = (typeof FIELDS)[number];
export type BookingErrors = Partial<Record<Field | "form", string>>;

async function loadPerformance(event: Parameters<PageServerLoad>[0]) {
  const caller = await serverCaller(event);
  try {
    return await caller.catalogue.performance({ id: event.params.id, locale: event.locals.locale });
  } catch (e) {
    const failure = callFailure(e);
    if (failure.status === 404 || failure.status === 400) error(404, "Not found");
    throw e;
  }
}

export const load: PageServerLoad = async (event) => {
  const performance = await loadPerformance(event);
  return { performance, maxPartySize: getConfig().MAX_PARTY_SIZE };
};

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((f) => [f, text(form, f).slice(0, 2000)])) as Record<Field, string>;
    const partySize = values.partySize.trim() === "" ? undefined : Number(values.partySize);
    const caller = await serverCaller(event);
    try {
      const result = await caller.booking.create({
        performanceId: event.params.id,
        name: values.name,
        email: values.email,
        phone: values.phone.trim() || undefined,
        partySize: partySize as number,
        notes: values.notes.trim() || undefined,
        locale: event.locals.locale,
      });
      rememberBooking(event.cookies, result.reservationId, event.url.protocol === "https:");
    } catch (e) {
      const failure = callFailure(e);
      // Codes, not sentences: the page words them in the visitor's language.
      const errors: Record<string, string> = {};
      if (failure.reason === "invalid_input") {
        for (const path of Object.keys(failure.fields)) {
          const field = FIELDS.find((f) => path === f || path.startsWith(`${f}.`));
          errors[field ?? "form"] = field ?? "generic";
        }
        // The service checks the party against MAX_PARTY_SIZE without a zod path.
        if (Object.keys(errors).length === 0) errors.partySize = "partySize";
      } else if (failure.reason === "not_found") {
        error(404, "Not found");
      } else {
        errors.form = failure.reason;
      }
      // What the page needs to word a refusal: the opening time, the per-person limit.
      const reasonData = {
        opensAt: typeof failure.data.opensAt === "string" ? failure.data.opensAt : null,
        limit: typeof failure.data.limit === "number" ? failure.data.limit : null,
      };
      let availableSeats: number | null = null;
      if (failure.reason === "not_enough_seats") {
        const performance = await caller.catalogue.performance({ id: event.params.id, locale: event.locals.locale }).catch(() => null);
        availableSeats = performance?.availableSeats ?? null;
        errors.partySize = "not_enough_seats";
        delete errors.form;
      }
      return fail(failure.status, { values, errors, availableSeats, reasonData });
    }
    redirect(303, "/book/sent");
  },
};
