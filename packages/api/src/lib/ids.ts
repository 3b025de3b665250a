/**
 * The shapes of identifiers clients send, written once. Checking them before a query
 * keeps junk (and PostgreSQL's 22P02 "invalid input syntax for type uuid") away from
 * the database, so bad input is a clean 4xx, never a 500. No imports: the staff scanner
 * uses this file in the browser (`@sipario/api/ids`).
 */

/** A row id (PostgreSQL uuid, any version). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** A raw token (confirmation link, ticket) as it appears in a URL: base64url, bounded. */
const RAW_TOKEN = "[A-Za-z0-9_-]{16,128}";
export const RAW_TOKEN_PATTERN = new RegExp(`^${RAW_TOKEN}$`);

export function isRawToken(value: string): boolean {
  return RAW_TOKEN_PATTERN.test(value);
}

const TICKET_PATH = new RegExp(`/tickets/(${RAW_TOKEN})/?$`);

/** The token in a ticket link's path (`/tickets/<token>`, as ticketUrl builds it), or null. */
export function ticketTokenOfPath(pathname: string): string | null {
  return TICKET_PATH.exec(pathname)?.[1] ?? null;
}
