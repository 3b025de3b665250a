import { createEvent } from "ics";
import QRCode from "qrcode";

/** The ticket URL: exactly what the QR code encodes, nothing else. */
export function ticketUrl(origin: string, token: string): string {
  return `${origin}/tickets/${token}`;
}
export function confirmUrl(origin: string, token: string): string {
  return `${origin}/confirm/${token}`;
}
export function cancelUrl(origin: string, token: string): string {
  return `${origin}/tickets/${token}/cancel`;
}

const QR_OPTIONS = { errorCorrectionLevel: "M", margin: 2 } as const;

/**
 * PNG rendering is CPU work on the event loop, which stalls every request of the process:
 * scale 5 (~200 px) scans fine and the SVG is there for print sizes. One PNG row filter
 * (Paeth) instead of pngjs's default of trying all five per row: the same pixels and size
 * for a fraction of the CPU (docs/performance.md).
 */
export async function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...QR_OPTIONS, type: "png", scale: 5, rendererOpts: { filterType: 4 } as QRCode.QRCodeToBufferOptions["rendererOpts"] });
}

// Ticket pages are reloaded (and benchmarked): a QR is a pure function of its URL.
const QR_CACHE_SIZE = 500;
const qrCache = new Map<string, Promise<{ svg: string; pngDataUrl: string }>>();

export function qrCodes(url: string): Promise<{ svg: string; pngDataUrl: string }> {
  const hit = qrCache.get(url);
  if (hit) return hit;
  const rendered = Promise.all([QRCode.toString(url, { ...QR_OPTIONS, type: "svg" }), qrPng(url)]).then(([svg, png]) => ({
    svg,
    pngDataUrl: `data:image/png;base64,${png.toString("base64")}`,
  }));
  rendered.catch(() => qrCache.delete(url));
  qrCache.set(url, rendered);
  if (qrCache.size > QR_CACHE_SIZE) qrCache.delete(qrCache.keys().next().value!);
  return rendered;
}

/** How long a calendar event lasts when the show's running time is not given. */
export const DEFAULT_DURATION_MINUTES = 120;

const googleTime = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/**
 * Google Calendar's "add event" link (Android phones open .ics files poorly). It carries
 * only the show, the time and the place: never the ticket link, which is the credential.
 */
export function googleCalendarUrl(input: { showTitle: string; startsAt: Date; durationMinutes?: number | null; location: string }): string {
  const end = new Date(input.startsAt.getTime() + (input.durationMinutes ?? DEFAULT_DURATION_MINUTES) * 60_000);
  const params = new URLSearchParams({
    action: "TEMPLATE",
    text: input.showTitle,
    dates: `${googleTime(input.startsAt)}/${googleTime(end)}`,
    location: input.location,
  });
  return `https://calendar.google.com/calendar/render?${params}`;
}

/** An .ics calendar event for a performance; no personal data inside. */
export function calendarEvent(input: {
  uid: string;
  showTitle: string;
  startsAt: Date;
  venueName: string;
  venueAddress: string;
  venueCity: string;
  url: string;
  /** The show's running time; unknown: two hours. */
  durationMinutes?: number | null;
}): string {
  const { error, value } = createEvent({
    uid: `${input.uid}@sipario`,
    productId: "sipario/tickets",
    title: input.showTitle,
    start: input.startsAt.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    duration: { minutes: input.durationMinutes ?? DEFAULT_DURATION_MINUTES },
    location: [input.venueName, input.venueAddress, input.venueCity].filter(Boolean).join(", "),
    url: input.url,
    status: "CONFIRMED",
  });
  if (error || !value) throw new Error(`calendar event: ${error?.message ?? "empty"}`);
  return value;
}
