// Keeps what a visitor typed before the page's JavaScript took over.
//
// On a slow phone the server-rendered form is usable before hydration. Svelte 5 then sets
// every `value={...}` input to its expression's value while hydrating, wiping what was
// typed (sveltejs/kit#8895); the `required` fields come back empty and pressing the button
// silently does nothing. It hit staff signing in at the door and visitors filling in the
// booking form. Hydration reuses the server's DOM nodes, so we remember the values the
// person typed (per element) from the moment the app starts, and put them back once the
// root layout has mounted.

const typed = new Map<HTMLInputElement | HTMLTextAreaElement, string>();
let watching = false;

function isTextField(el: EventTarget | null): el is HTMLInputElement | HTMLTextAreaElement {
  if (el instanceof HTMLTextAreaElement) return true;
  return el instanceof HTMLInputElement && !["checkbox", "radio", "file", "hidden", "submit", "button", "reset", "image"].includes(el.type);
}

function remember(event: Event): void {
  if (isTextField(event.target)) typed.set(event.target, event.target.value);
}

/** Called from hooks.client.ts `init`, before hydration starts. */
export function startKeepingTypedInput(): void {
  if (watching) return;
  watching = true;
  // Typed before this script even ran: the value differs from the server's.
  for (const el of document.querySelectorAll("input, textarea")) {
    if (isTextField(el) && el.value !== el.defaultValue) typed.set(el, el.value);
  }
  document.addEventListener("input", remember, true);
}

/** Called once the root layout has mounted: puts typed values back, then stops watching. */
export function restoreTypedInput(): void {
  if (!watching) return;
  watching = false;
  document.removeEventListener("input", remember, true);
  for (const [el, value] of typed) {
    if (el.isConnected && el.value !== value) {
      el.value = value;
      // Let any bind:value or oninput handler see it, as if typed now.
      el.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
  typed.clear();
  document.documentElement.dataset.hydrated = "";
}
