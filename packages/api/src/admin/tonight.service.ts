import type { PrismaClient } from "@sipario/db";
import { z } from "zod";
import { performanceSeatSummary } from "../capacity/capacity.service.ts";
import { doorList as tonightsDoorList, performancesToday } from "../checkin/checkin.service.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { safeTimeZone } from "../lib/ticket-time.ts";

/** What the "Tonight" page asks for: which of today's performances' door list to show (else the first). */
export const tonightInputSchema = z.object({ performanceId: z.uuid().optional() }).strict();
export type TonightInput = z.infer<typeof tonightInputSchema>;

export interface TonightPerformance {
  id: string;
  startsAt: string;
  showTitle: string;
  venueName: string;
  /** The venue's clock: the page shows times in it. */
  timeZone: string;
  cancelled: boolean;
  bookingEnabled: boolean;
  capacity: number;
  confirmedSeats: number;
  availableSeats: number;
  pendingCount: number;
  arrived: { parties: number; people: number };
  toCome: { parties: number; people: number };
}

export interface TonightParty {
  reservationId: string;
  name: string;
  bookingCode: string;
  partySize: number;
  source: "online" | "box_office" | "waitlist";
  notes: string | null;
  /** Whether a ticket can be emailed again (box-office bookings may have no email). Never the address. */
  hasEmail: boolean;
  checkedInAt: string | null;
}

export interface TonightBoard {
  generatedAt: string;
  performances: TonightPerformance[];
  /** The door list of `doorListFor` (null when there is no performance today). */
  doorListFor: string | null;
  doorList: TonightParty[];
}

/**
 * The box office's home on a performance day: today's performances on their venue's clock
 * (as the door picks them, `performancesToday`), each with seats left, arrivals so far and
 * still to come (`performanceSeatSummary`, the one seat rule), and the door list of one of
 * them (`doorList` of checkin: confirmed parties, no email or phone). Read-only. Throws
 * not_found when `performanceId` is not one of today's performances.
 */
export async function tonightBoard(
  prisma: PrismaClient,
  config: Pick<AppConfig, "TICKET_GRACE_HOURS" | "TIME_ZONE">,
  input: TonightInput,
  now = new Date(),
): Promise<TonightBoard> {
  const today = (await performancesToday(prisma, config, now)).items;
  const ids = today.map((p) => p.id);
  const [summaries, parties, details] = await Promise.all([
    performanceSeatSummary(prisma, ids, now),
    prisma.reservation.groupBy({ by: ["performanceId"], where: { performanceId: { in: ids }, status: "confirmed" }, _count: { _all: true } }),
    prisma.performance.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, isBookingEnabled: true, venue: { select: { timeZone: true } } },
    }),
  ]);
  const detailOf = new Map(details.map((d) => [d.id, d]));
  const confirmedPartiesOf = new Map(parties.map((g) => [g.performanceId, g._count._all]));
  const performances = today.map((p): TonightPerformance => {
    const s = summaries.get(p.id);
    const d = detailOf.get(p.id);
    const checkedInParties = s?.checkedInParties ?? 0;
    const checkedInPeople = s?.checkedInPeople ?? 0;
    return {
      id: p.id,
      startsAt: p.startsAt,
      showTitle: p.showTitle,
      venueName: p.venue.name,
      timeZone: safeTimeZone(d?.venue.timeZone, config.TIME_ZONE),
      cancelled: d?.status === "cancelled",
      bookingEnabled: d?.isBookingEnabled ?? false,
      capacity: s?.capacity ?? 0,
      confirmedSeats: s?.confirmedSeats ?? 0,
      availableSeats: s?.availableSeats ?? 0,
      pendingCount: s?.pendingCount ?? 0,
      arrived: { parties: checkedInParties, people: checkedInPeople },
      // As the door counts them (doorStats): confirmed parties not yet in.
      toCome: {
        parties: Math.max(0, (confirmedPartiesOf.get(p.id) ?? 0) - checkedInParties),
        people: Math.max(0, (s?.confirmedSeats ?? 0) - checkedInPeople),
      },
    };
  });

  if (input.performanceId && !ids.includes(input.performanceId)) throw new DomainError("not_found", "Not one of today's performances.");
  const chosen = input.performanceId ?? performances.find((p) => !p.cancelled)?.id ?? performances[0]?.id ?? null;
  if (!chosen) return { generatedAt: now.toISOString(), performances, doorListFor: null, doorList: [] };

  const list = (await tonightsDoorList(prisma, config, chosen, now)).items;
  const extra = new Map(
    (
      await prisma.reservation.findMany({
        where: { id: { in: list.map((r) => r.reservationId) } },
        select: { id: true, bookingCode: true, source: true, email: true },
      })
    ).map((r) => [r.id, r]),
  );
  return {
    generatedAt: now.toISOString(),
    performances,
    doorListFor: chosen,
    doorList: list.map((r) => {
      const e = extra.get(r.reservationId);
      return {
        reservationId: r.reservationId,
        name: r.name,
        bookingCode: e?.bookingCode ?? "",
        partySize: r.partySize,
        source: e?.source ?? "online",
        notes: r.notes,
        hasEmail: Boolean(e?.email),
        checkedInAt: r.checkedInAt,
      };
    }),
  };
}
