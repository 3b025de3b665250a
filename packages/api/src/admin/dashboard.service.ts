import { dayBounds } from "../lib/ticket-time.ts";
import type { PrismaClient } from "@sipario/db";
import { performanceSeatSummary } from "../capacity/capacity.service.ts";

export interface DashboardData {
  upcoming: {
    id: string;
    startsAt: string;
    showTitle: string;
    venueName: string;
    isBookingEnabled: boolean;
    capacity: number;
    confirmedSeats: number;
    availableSeats: number;
    checkedInPeople: number;
    pendingCount: number;
  }[];
  checkInsToday: { count: number; people: number; latest: { checkedInAt: string; name: string; partySize: number; by: string }[] };
  failedEmails: { count: number; latest: { id: string; kind: string; subject: string; attempts: number; lastError: string | null; updatedAt: string }[] };
}

/**
 * What the back-office home shows: the next performances with their seat numbers (one
 * grouped query through performanceSeatSummary), today's check-ins and failed emails.
 * "Today" is the calendar day in `timeZone`. Read-only; throws only database errors.
 */
export async function adminDashboard(prisma: PrismaClient, options: { timeZone: string; now?: Date; limit?: number }): Promise<DashboardData> {
  const now = options.now ?? new Date();
  const performances = await prisma.performance.findMany({
    where: { startsAt: { gte: now } },
    orderBy: { startsAt: "asc" },
    take: options.limit ?? 8,
    select: { id: true, startsAt: true, isBookingEnabled: true, show: { select: { title: true } }, venue: { select: { name: true } } },
  });
  const summaries = await performanceSeatSummary(
    prisma,
    performances.map((p) => p.id),
  );
  const { start, end } = dayBounds(now, options.timeZone);
  const [checkIns, checkInAgg, failedCount, failed] = await Promise.all([
    prisma.checkIn.findMany({
      where: { checkedInAt: { gte: start, lt: end } },
      orderBy: { checkedInAt: "desc" },
      take: 10,
      select: { checkedInAt: true, reservation: { select: { name: true, partySize: true } }, checkedInBy: { select: { name: true, email: true } } },
    }),
    prisma.reservation.aggregate({
      where: { checkIn: { checkedInAt: { gte: start, lt: end } } },
      _count: { _all: true },
      _sum: { partySize: true },
    }),
    prisma.emailOutbox.count({ where: { status: "failed" } }),
    prisma.emailOutbox.findMany({
      where: { status: "failed" },
      orderBy: { updatedAt: "desc" },
      take: 10,
      select: { id: true, kind: true, subject: true, attempts: true, lastError: true, updatedAt: true },
    }),
  ]);
  return {
    upcoming: performances.map((p) => {
      const s = summaries.get(p.id);
      return {
        id: p.id,
        startsAt: p.startsAt.toISOString(),
        showTitle: p.show.title,
        venueName: p.venue.name,
        isBookingEnabled: p.isBookingEnabled,
        capacity: s?.capacity ?? 0,
        confirmedSeats: s?.confirmedSeats ?? 0,
        availableSeats: s?.availableSeats ?? 0,
        checkedInPeople: s?.checkedInPeople ?? 0,
        pendingCount: s?.pendingCount ?? 0,
      };
    }),
    checkInsToday: {
      count: checkInAgg._count._all,
      people: checkInAgg._sum.partySize ?? 0,
      latest: checkIns.map((c) => ({
        checkedInAt: c.checkedInAt.toISOString(),
        name: c.reservation.name,
        partySize: c.reservation.partySize,
        by: c.checkedInBy.name || c.checkedInBy.email,
      })),
    },
    failedEmails: {
      count: failedCount,
      latest: failed.map((e) => ({ ...e, updatedAt: e.updatedAt.toISOString() })),
    },
  };
}

export { dayBounds };
