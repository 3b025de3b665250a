import { DomainError } from "../errors.ts";

/**
 * MAX_SEATS_PER_EMAIL: one email address may hold at most that many confirmed seats at one
 * performance, so a few people cannot sit on a premiere's free seats through many bookings.
 * booking.create checks it in its write statement (unlocked: pending holds no seats);
 * booking.confirm checks it again under the performance lock. The box office is exempt.
 */
export function assertWithinPerPersonLimit(limit: number, seatsAlreadyHeld: number, partySize: number): void {
  if (seatsAlreadyHeld + partySize <= limit) return;
  throw new DomainError("limit_per_person", `At most ${limit} seats per person for one performance.`, {
    limit,
    seatsHeld: seatsAlreadyHeld,
  });
}
