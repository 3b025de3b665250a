import type { ClientInit } from "@sveltejs/kit/hooks";
import { startKeepingTypedInput } from "$lib/keep-typed-input";

export const init: ClientInit = () => {
  // Before hydration: hydration would otherwise wipe what the visitor already typed.
  startKeepingTypedInput();
};
