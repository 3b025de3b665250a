import { getConfig, resendConfirmationEmail } from "@sipario/api";
import { getDatabase } from "@sipario/db";
import { fail } from "@sveltejs/kit";
import { bookingSummary, rememberedBookingId, RESEND_AFTER_MS } from "$lib/server/booking";
import { callFailure } from "$lib/server/trpc";
import type { Actions, PageServerLoad } from "./$types";

export const load: PageServerLoad = async ({ cookies, locals }) => {
  const id = rememberedBookingId(cookies);
  const booking = id ? await bookingSummary((await getDatabase()).prisma, id, locals.locale) : null;
  return { booking };
};

export const actions: Actions = {
  /**
   * A new confirmation email, at most once a minute per booking: the rule is checked
   * against the outbox (shared by every server process), not against this browser.
   */
  resend: async ({ cookies }) => {
    const id = rememberedBookingId(cookies);
    const { prisma } = await getDatabase();
    const booking = id ? await bookingSummary(prisma, id) : null;
    if (!id || !booking) return fail(404, { resend: "missing" as const });
    if (booking.lastSentAt && Date.now() - new Date(booking.lastSentAt).getTime() < RESEND_AFTER_MS) {
      return fail(429, { resend: "too_soon" as const });
    }
    try {
      await resendConfirmationEmail(prisma, getConfig(), id);
    } catch (e) {
      const reason = (e as { reason?: unknown }).reason;
      if (typeof reason === "string") return fail(409, { resend: "cannot" as const });
      callFailure(e);
      throw e;
    }
    return { resend: "sent" as const };
  },
};
