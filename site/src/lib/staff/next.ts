// C0 controls, DEL and the backslash: browsers drop or reinterpret them inside URLs
// ("/\t/evil.example" becomes "//evil.example"), and a newline in a Location header is a 500.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/**
 * Where to go after sign-in: only a path on this site. The value is resolved the way a
 * browser would resolve the Location header (`new URL(next, origin)`), must stay on
 * `origin`, and is answered in its normalised form, which never starts with "//".
 */
export function safeNext(value: unknown, origin: string, fallback = "/staff/scan"): string {
  if (typeof value !== "string" || value.length > 500 || !value.startsWith("/") || UNSAFE_CHARACTERS.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (path.startsWith("//") || path.startsWith("/staff/login") || path.startsWith("/staff/logout")) return fallback;
  return path;
}

export function isStaff(user: { role: string } | null | undefined): boolean {
  return user?.role === "staff" || user?.role === "admin";
}
