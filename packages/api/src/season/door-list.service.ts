import type { PrismaClient } from "@sipario/db";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { isUuid } from "../lib/ids.ts";
import { safeTimeZone } from "../lib/ticket-time.ts";

export interface DoorListParty {
  name: string;
  bookingCode: string;
  partySize: number;
  source: "online" | "box_office" | "waitlist";
  checkedInAt: Date | null;
}

export interface DoorList {
  showTitle: string;
  venueName: string;
  startsAt: Date;
  /** The venue's zone (or the configured one): the printed times are the venue's. */
  timeZone: string;
  cancelled: boolean;
  parties: DoorListParty[];
  totals: { parties: number; people: number; checkedInPeople: number };
}

/**
 * The printed list for the box office's table at the door: every confirmed party of one
 * performance, by name, with its booking code, party size, where it booked and whether it
 * is in. No email, phone or notes (a sheet left on a table). Throws not_found.
 */
export async function doorList(prisma: PrismaClient, config: Pick<AppConfig, "TIME_ZONE">, performanceId: string): Promise<DoorList> {
  if (!isUuid(performanceId)) throw new DomainError("not_found", "Performance not found.");
  const performance = await prisma.performance.findUnique({
    where: { id: performanceId },
    select: { startsAt: true, status: true, show: { select: { title: true } }, venue: { select: { name: true, timeZone: true } } },
  });
  if (!performance) throw new DomainError("not_found", "Performance not found.");
  const rows = await prisma.reservation.findMany({
    where: { performanceId, status: "confirmed" },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 5000,
    select: { name: true, bookingCode: true, partySize: true, source: true, checkIn: { select: { checkedInAt: true } } },
  });
  const parties = rows.map((r) => ({
    name: r.name,
    bookingCode: r.bookingCode,
    partySize: r.partySize,
    source: r.source,
    checkedInAt: r.checkIn?.checkedInAt ?? null,
  }));
  return {
    showTitle: performance.show.title,
    venueName: performance.venue.name,
    startsAt: performance.startsAt,
    timeZone: safeTimeZone(performance.venue.timeZone, config.TIME_ZONE),
    cancelled: performance.status === "cancelled",
    parties,
    totals: {
      parties: parties.length,
      people: parties.reduce((n, p) => n + p.partySize, 0),
      checkedInPeople: parties.reduce((n, p) => n + (p.checkedInAt ? p.partySize : 0), 0),
    },
  };
}
