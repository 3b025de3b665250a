/** Where the visitor's address is: adapter-node's own variables, read once by config.ts. */
export interface AddressSettings {
  /** A request header carrying the visitor's address (set behind a proxy); unset: the socket's. */
  ADDRESS_HEADER?: string | undefined;
  /** With X-Forwarded-For: how many proxies we run, so which entry from the right is the visitor. */
  XFF_DEPTH: number;
}

/** What is needed of a request, in Express and in SvelteKit alike. */
export interface AddressSource {
  /** A header's value, several occurrences joined with ", " (as Node and fetch's Headers do). */
  header(name: string): string | null | undefined;
  /** The socket's address; only read when no ADDRESS_HEADER is configured. */
  socketAddress(): string | undefined;
}

/** The bucket for a request whose address cannot be known (e.g. a probe that skipped the proxy). */
export const UNKNOWN_ADDRESS = "unknown";

/**
 * The visitor's address for per-address rate limits, with @sveltejs/adapter-node's
 * semantics for ADDRESS_HEADER and XFF_DEPTH, so the site and the back-office key the
 * same visitor the same way. With X-Forwarded-For, the entry XFF_DEPTH from the right:
 * the one our own proxy wrote, which the client cannot forge (entries to its left can
 * be). Where adapter-node would throw (header absent, fewer entries than XFF_DEPTH), this
 * answers UNKNOWN_ADDRESS: such requests share one bucket rather than fail.
 */
export function clientAddress(source: AddressSource, settings: AddressSettings): string {
  const headerName = settings.ADDRESS_HEADER?.trim().toLowerCase();
  if (!headerName) return source.socketAddress() || UNKNOWN_ADDRESS;
  const value = source.header(headerName);
  if (value === null || value === undefined) return UNKNOWN_ADDRESS;
  if (headerName !== "x-forwarded-for") return value.trim() || UNKNOWN_ADDRESS;
  const addresses = value.split(",");
  if (settings.XFF_DEPTH < 1 || settings.XFF_DEPTH > addresses.length) return UNKNOWN_ADDRESS;
  return addresses[addresses.length - settings.XFF_DEPTH]!.trim() || UNKNOWN_ADDRESS;
}
