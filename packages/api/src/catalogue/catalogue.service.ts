import type { PrismaClient } from "@sipario/db";
import { availableSeats, NO_SEATS_TAKEN, seatsTakenByPerformance } from "../capacity/capacity.service.ts";
import { DomainError } from "../errors.ts";
import { type ContentLocale, localize, mapUrl, PERFORMANCE_TEXT, pairedSelect, SHOW_TEXT, VENUE_TEXT } from "../i18n/translated.ts";
import { bookingWindowSelect, nextBookingTransition, publicBookingFields, type BookingWindowFacts } from "../booking/booking-window.ts";
import { notePublicReadBoundary } from "../lib/public-read-cache.ts";

/** Published shows, by title, their texts in `locale` (else the other language, see `lang`). */
export async function listShows(prisma: PrismaClient, locale: ContentLocale = "it") {
  const shows = await prisma.show.findMany({
    where: { isPublished: true },
    orderBy: { title: "asc" },
    select: { id: true, slug: true, posterImage: true, ...pairedSelect(["title", "summary"]) },
  });
  const items = shows.map((s) => ({ id: s.id, slug: s.slug, posterImage: s.posterImage, ...localize(s, ["title", "summary"], locale) }));
  if (locale === "en") items.sort((a, b) => a.title.localeCompare(b.title, "en"));
  return { items };
}

const listVenueSelect = { city: true, timeZone: true, ...pairedSelect(["name"]) } as const;
const listShowSelect = { slug: true, ...pairedSelect(["title"]) } as const;
const performanceTextSelect = { surtitles: true, ...pairedSelect(PERFORMANCE_TEXT) } as const;

function listVenue(v: { city: string; timeZone: string; name: string; nameEn: string }, locale: ContentLocale) {
  return { city: v.city, timeZone: v.timeZone, ...localize(v, ["name"], locale) };
}

/** A performance's own facts: surtitles and its note ("relaxed performance"...) in `locale`. */
function performanceTexts(p: { surtitles: string | null; note: string; noteEn: string }, locale: ContentLocale) {
  const { note, lang } = localize(p, PERFORMANCE_TEXT, locale);
  return { surtitles: p.surtitles, note, noteLang: lang.note };
}

const performanceSelect = {
  id: true,
  ...bookingWindowSelect,
  roomCapacity: true,
  additionalSeats: true,
  manuallyOccupiedSeats: true,
} as const;

/**
 * The on-sale fields of a catalogue item; also tells the public-read cache when this
 * answer goes stale by itself (the booking opening, closing or the curtain).
 */
function bookingFields(p: BookingWindowFacts, now: Date) {
  notePublicReadBoundary(nextBookingTransition(p, now), now.getTime());
  return publicBookingFields(p, now);
}

/**
 * A published show with its upcoming performances and their available seats (one grouped
 * seat query for all of them). Throws DomainError not_found when missing or unpublished.
 */
export async function getShow(prisma: PrismaClient, slug: string, now = new Date(), locale: ContentLocale = "it") {
  const show = await prisma.show.findFirst({
    where: { slug, isPublished: true },
    select: {
      id: true,
      slug: true,
      ...pairedSelect(SHOW_TEXT),
      runningTimeMinutes: true,
      language: true,
      posterImage: true,
      performances: {
        where: { startsAt: { gt: now } },
        orderBy: { startsAt: "asc" },
        select: { ...performanceSelect, ...performanceTextSelect, venue: { select: { slug: true, ...listVenueSelect } } },
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
    ...localize(show, SHOW_TEXT, locale),
    runningTimeMinutes: show.runningTimeMinutes,
    language: show.language,
    posterImage: show.posterImage,
    performances: show.performances.map((p) => ({
      id: p.id,
      startsAt: p.startsAt.toISOString(),
      venue: { slug: p.venue.slug, ...listVenue(p.venue, locale) },
      ...performanceTexts(p, locale),
      ...bookingFields(p, now),
      availableSeats: availableSeats(p, seats.get(p.id) ?? NO_SEATS_TAKEN),
    })),
  };
}

/** Upcoming performances of published shows (from `from`, default now), optionally of one show. */
export async function listPerformances(
  prisma: PrismaClient,
  input: { show?: string; from?: string; limit?: number } = {},
  now = new Date(),
  locale: ContentLocale = "it",
) {
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
      ...performanceTextSelect,
      show: { select: listShowSelect },
      venue: { select: listVenueSelect },
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
      show: { slug: p.show.slug, ...localize(p.show, ["title"], locale) },
      venue: listVenue(p.venue, locale),
      ...performanceTexts(p, locale),
      ...bookingFields(p, now),
      availableSeats: availableSeats(p, seats.get(p.id) ?? NO_SEATS_TAKEN),
    })),
  };
}

/**
 * One performance of a published show (past ones too, so a booking page can say it is
 * over). `bookingEnabled` is true only while its on-sale window is open. Throws DomainError not_found.
 */
export async function getPerformance(prisma: PrismaClient, id: string, now = new Date(), locale: ContentLocale = "it") {
  const p = await prisma.performance.findFirst({
    where: { id, show: { isPublished: true } },
    select: {
      ...performanceSelect,
      ...performanceTextSelect,
      show: { select: { slug: true, runningTimeMinutes: true, ...pairedSelect(["title", "summary"]) } },
      venue: { select: { slug: true, address: true, city: true, timeZone: true, ...pairedSelect(VENUE_TEXT) } },
    },
  });
  if (!p) throw new DomainError("not_found", "Performance not found.");
  const seats = await seatsTakenByPerformance(prisma, [p.id], now);
  return {
    id: p.id,
    startsAt: p.startsAt.toISOString(),
    show: { slug: p.show.slug, runningTimeMinutes: p.show.runningTimeMinutes, ...localize(p.show, ["title", "summary"], locale) },
    venue: publicVenue(p.venue, locale),
    ...performanceTexts(p, locale),
    ...bookingFields(p, now),
    availableSeats: availableSeats(p, seats.get(p.id) ?? NO_SEATS_TAKEN),
  };
}

const publicVenueSelect = { slug: true, address: true, city: true, timeZone: true, ...pairedSelect(VENUE_TEXT) } as const;

type VenueRow = { slug: string; address: string; city: string; timeZone: string } & Record<
  (typeof VENUE_TEXT)[number] | `${(typeof VENUE_TEXT)[number]}En`,
  string
>;

/** What a visitor reads about a venue: its texts in `locale`, the address and a map link. */
function publicVenue(v: VenueRow, locale: ContentLocale) {
  return { slug: v.slug, address: v.address, city: v.city, timeZone: v.timeZone, mapUrl: mapUrl(v), ...localize(v, VENUE_TEXT, locale) };
}

/**
 * A venue's page: address, address notes, access, public transport, a map link and its
 * upcoming performances of published shows. Throws DomainError not_found.
 */
export async function getVenue(prisma: PrismaClient, slug: string, now = new Date(), locale: ContentLocale = "it") {
  const venue = await prisma.venue.findUnique({ where: { slug }, select: { id: true, ...publicVenueSelect } });
  if (!venue) throw new DomainError("not_found", "Venue not found.");
  const performances = await prisma.performance.findMany({
    where: { venueId: venue.id, startsAt: { gt: now }, show: { isPublished: true } },
    orderBy: { startsAt: "asc" },
    take: 50,
    select: { ...performanceSelect, ...performanceTextSelect, show: { select: listShowSelect } },
  });
  const seats = await seatsTakenByPerformance(
    prisma,
    performances.map((p) => p.id),
    now,
  );
  const place = publicVenue(venue, locale);
  return {
    ...place,
    performances: performances.map((p) => ({
      id: p.id,
      startsAt: p.startsAt.toISOString(),
      show: { slug: p.show.slug, ...localize(p.show, ["title"], locale) },
      venue: { city: place.city, timeZone: place.timeZone, name: place.name, lang: { name: place.lang.name } },
      ...performanceTexts(p, locale),
      ...bookingFields(p, now),
      availableSeats: availableSeats(p, seats.get(p.id) ?? NO_SEATS_TAKEN),
    })),
  };
}
