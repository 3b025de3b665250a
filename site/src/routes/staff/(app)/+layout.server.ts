import { error, redirect } from "@sveltejs/kit";
import { isStaff } from "$lib/staff/next";
import type { LayoutServerLoad } from "./$types";

/** Every staff page: signed-in staff or admin only; others go to the sign-in with a way back. */
export const load: LayoutServerLoad = async ({ locals, url }) => {
  if (!locals.user) redirect(303, `/staff/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  if (!isStaff(locals.user)) error(403, "Staff only");
  return { user: { id: locals.user.id, name: locals.user.name, role: locals.user.role } };
};
