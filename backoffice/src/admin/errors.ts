import { DomainError } from "@sipario/api";
import { pgErrorOf } from "@sipario/db";
import { ValidationError } from "adminjs";

type PrismaLikeError = {
  code?: string;
  message?: string;
  meta?: { target?: string[] | string };
};

/**
 * Turns the errors a form submission can cause into AdminJS ValidationErrors, which
 * AdminJS shows on the form (field message + notice) instead of answering 500.
 * Anything else is a bug and is rethrown.
 */
export function toValidationError(error: unknown): unknown {
  if (error instanceof ValidationError) return error;
  if (error instanceof DomainError) {
    if (error.reason === "rate_limited" || error.reason === "unavailable") return error;
    const field = error.details.field as string | undefined;
    return new ValidationError(field ? { [field]: { message: error.message, type: error.reason } } : {}, {
      message: error.message,
      type: error.reason,
    });
  }
  const e = error as PrismaLikeError;
  const cause = pgErrorOf(error);
  switch (e?.code) {
    case "P2002": {
      // Driver adapters name the index ("Show_slug_key") rather than the fields.
      const index = cause?.constraint?.index;
      const fromIndex = index ? /^[A-Za-z]+_(.+)_key$/.exec(index)?.[1]?.split("_") : undefined;
      const target = e.meta?.target ?? cause?.constraint?.fields ?? fromIndex ?? [];
      const fields = (Array.isArray(target) ? target : [target]).map((f) => f.replace(/"/g, ""));
      const message = `This value is already used: ${fields.join(", ") || "a unique field"} must be unique.`;
      return new ValidationError(Object.fromEntries(fields.map((f) => [f, { message, type: "unique" }])), { message });
    }
    case "P2003":
    case "P2014":
      return new ValidationError({}, { message: "Other records depend on this one (for example reservations), so it cannot be removed or changed this way." });
    case "P2000":
      return new ValidationError({}, { message: "A value is too long for its field." });
    case "P2011":
      return new ValidationError({}, { message: "A required value is missing." });
    case "P2004":
      return new ValidationError({}, { message: "The values break a database rule (for example seat numbers)." });
    case "P2025":
      return new ValidationError({}, { message: "The record no longer exists." });
    default:
      break;
  }
  if (cause?.kind === "CheckConstraintViolation" || /check constraint/i.test(e?.message ?? "")) {
    return new ValidationError({}, { message: "The values break a database rule (for example seat numbers)." });
  }
  if (cause?.kind === "NullConstraintViolation") return new ValidationError({}, { message: "A required value is missing." });
  if (cause?.kind === "ForeignKeyConstraintViolation") {
    return new ValidationError({}, { message: "Other records depend on this one (for example reservations), so it cannot be removed or changed this way." });
  }
  if (e?.code === "P2007" || e?.code === "P2006" || e?.code === "P2009" || e?.code === "P2012" || (e?.code ?? "").startsWith("P2")) {
    return new ValidationError({}, { message: "Some values are not valid." });
  }
  if ((error as Error)?.name === "PrismaClientValidationError") return new ValidationError({}, { message: "Some values are not valid." });
  return error;
}
