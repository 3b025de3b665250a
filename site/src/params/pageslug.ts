import type { ParamMatcher } from "@sveltejs/kit";

/** Company page slugs (about, contacts...): lower-case words joined by dashes. */
export const match: ParamMatcher = (param) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(param) && param.length <= 120;
