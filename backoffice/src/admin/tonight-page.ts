import { DomainError, tonightInputSchema } from "@sipario/api";
import { type ActionRequest, type CurrentAdmin, ForbiddenError, NotFoundError, ValidationError } from "adminjs";
import type { Services } from "./services.ts";

/**
 * The data of the "Tonight" page (GET /admin/api/pages/tonight, AdminJS's page route behind
 * the back-office's sign-in): admins only (the box office signs in as an admin; staff
 * accounts have the door scanner), read-only, its query checked by the api's zod schema.
 */
export function tonightPageHandler(services: Services) {
  return async (request: ActionRequest, _response: unknown, context: { currentAdmin?: CurrentAdmin }) => {
    if ((context.currentAdmin as { role?: string } | undefined)?.role !== "admin") throw new ForbiddenError("Admins only.");
    if (request.method !== "get") throw new ValidationError({}, { message: "Read-only." });
    const input = tonightInputSchema.safeParse(request.query ?? {});
    if (!input.success) throw new ValidationError({}, { message: "Unknown performance." });
    try {
      return await services.tonight(input.data);
    } catch (error) {
      if (error instanceof DomainError && error.reason === "not_found") throw new NotFoundError("Not one of today's performances.", "tonight");
      throw error;
    }
  };
}
