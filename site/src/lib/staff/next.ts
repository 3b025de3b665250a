/** Where to go after sign-in: only a path on this site, never "//other.example" or a URL. */
export function safeNext(value: unknown, fallback = "/staff/scan"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (value.startsWith("/staff/login") || value.startsWith("/staff/logout")) return fallback;
  return value.length > 500 ? fallback : value;
}

export function isStaff(user: { role: string } | null | undefined): boolean {
  return user?.role === "staff" || user?.role === "admin";
}
