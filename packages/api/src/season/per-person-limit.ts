import type { PrismaClient } from "@sipario/db";
import type { Tx } from "../capacity/transaction.ts";
import { DomainError } from "../errors.ts";

/**
 * MAX_SEATS_PER_EMAIL: one email address may hold at most that many confirmed seats at one
 * performance, so a few people cannot sit on a premiere's free seats through many bookings.
 * booking.create checks it on an unlocked read; booking.confirm checks it again under the
 * performance lock (the same comparison, in its statement). The box office is exempt.
 */
export function assertWithinPerPersonLimit(limit: number, seatsAlreadyHeld: number, partySize: number): void {
  if (seatsAlreadyHeld + partySize <= limit) return;
  throw new DomainError("limit_per_person", `At most ${limit} seats per person for one performance.`, {
    limit,
    seatsHeld: seatsAlreadyHeld,
  });
}

/** Confirmed seats held by `email` (stored lowercased) at one performance. */
export async function confirmedSeatsOfEmail(db: PrismaClient | Tx, performanceId: string, email: string): Promise<number> {
  const result = await db.reservation.aggregate({
    where: { performanceId, email, status: "confirmed" },
    _sum: { partySize: true },
  });
  return result._sum.partySize ?? 0;
}
