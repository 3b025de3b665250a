import type { PrismaClient } from "@sipario/db";
import { availableSeats, NO_SEATS_TAKEN, seatsTakenByPerformance } from "../capacity/capacity.service.ts";
import { DomainError } from "../errors.ts";

/** Published shows, by title. */
export async function listShows(prisma: PrismaClient) {
  const shows = await prisma.show.findMany({
    where: { isPublished: true },
    orderBy: { title: "asc" },
    select: { id: true, slug: true, title: true, summary: true, posterImage: true },
  });
  return { items: shows };
}

const performanceSelect = {
  id: true,
  startsAt: true,
  isBookingEnabled: true,
  roomCapacity: true,
  additionalSeats: true,
  manuallyOccupiedSeats: true,
} as const;

/**
 * A published show with its upcoming performances and their available seats (one grouped
 * seat query for all of them). Throws DomainError not_found when missing or unpublished.
 */
export async function getShow(prisma: PrismaClient, slug: string, now = new Date()) {
  const show = await prisma.show.findFirst({
    where: { slug, isPublished: true },
    select: {
      id: true,
      slug: true,
      title: true,
      summary: true,
      description: true,
      posterImage: true,
      performances: {
        where: { startsAt: { gt: now } },
        orderBy: { startsAt: "asc" },
        select: { ...performanceSelect, venue: { select: { name: true, city: true, timeZone: true } } },
      },
    },
  });
  if (!show) throw new DomainError("not_found", "Show not found.");
  const seats = await seatsTakenByPerformance(
    prisma,
    show.performances.map((p) => p.id),
    now,
  );
  return {
    id: show.id,
    slug: show.slug,
    title: show.title,
    summary: show.summary,
    description: show.description,
    posterImage: show.posterImage,
    performances: show.performances.map((p) => ({
      id: p.id,
      startsAt: p.startsAt.toISOString(),
      venue: p.venue,
      bookingEnabled: p.isBookingEnabled,
      availableSeats: availableSeats(p, seats.get(p.id) ?? NO_SEATS_TAKEN),
    })),
  };
}

/** Upcoming performances of published shows (from `from`, default now), optionally of one show. */
export async function listPerformances(prisma: PrismaClient, input: { show?: string; from?: string; limit?: number } = {}, now = new Date()) {
  const from = input.from ? new Date(input.from) : now;
  const performances = await prisma.performance.findMany({
    where: {
      startsAt: { gte: from.getTime() < now.getTime() ? now : from },
      show: { isPublished: true, ...(input.show ? { slug: input.show } : {}) },
    },
    orderBy: { startsAt: "asc" },
    take: input.limit ?? 500,
    select: {
      ...performanceSelect,
      show: { select: { title: true, slug: true } },
      venue: { select: { name: true, city: true, timeZone: true } },
    },
  });
  const seats = await seatsTakenByPerformance(
    prisma,
    performances.map((p) => p.id),
    now,
  );
  return {
    items: performances.map((p) => ({
      id: p.id,
      startsAt: p.startsAt.toISOString(),
      show: p.show,
      venue: p.venue,
      bookingEnabled: p.isBookingEnabled,
      availableSeats: availableSeats(p, seats.get(p.id) ?? NO_SEATS_TAKEN),
    })),
  };
}

/**
 * One performance of a published show (past ones too, so a booking page can say it is
 * over). `bookingEnabled` is false once it has started. Throws DomainError not_found.
 */
export async function getPerformance(prisma: PrismaClient, id: string, now = new Date()) {
  const p = await prisma.performance.findFirst({
    where: { id, show: { isPublished: true } },
    select: {
      ...performanceSelect,
      show: { select: { title: true, slug: true, summary: true } },
      venue: { select: { name: true, address: true, city: true, timeZone: true } },
    },
  });
  if (!p) throw new DomainError("not_found", "Performance not found.");
  const seats = await seatsTakenByPerformance(prisma, [p.id], now);
  return {
    id: p.id,
    startsAt: p.startsAt.toISOString(),
    show: p.show,
    venue: p.venue,
    bookingEnabled: p.isBookingEnabled && p.startsAt.getTime() > now.getTime(),
    availableSeats: availableSeats(p, seats.get(p.id) ?? NO_SEATS_TAKEN),
  };
}
