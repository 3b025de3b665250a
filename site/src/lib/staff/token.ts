import { isRawToken, ticketTokenOfPath } from "@sipario/api/ids";

/**
 * The ticket token in whatever the scanner or the staff typed: a bare token or the
 * ticket URL `${ORIGIN}/tickets/<token>` (with or without query). Null for anything else.
 */
export function extractTicketToken(text: string): string | null {
  const value = text.trim();
  if (isRawToken(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    try {
      url = new URL(`https://${value}`); // "example.org/tickets/..." without a scheme
    } catch {
      return null;
    }
  }
  return ticketTokenOfPath(url.pathname);
}
