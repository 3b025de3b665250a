import { describe, expect, it } from "vitest";
import { allocateSeats, listClosesAt } from "./offers.ts";

const q = (...sizes: number[]) => sizes.map((partySize, i) => ({ id: String.fromCharCode(97 + i), partySize }));

describe("allocateSeats: who gets the seats that came back", () => {
  it("the first entry whose party fits gets them; a larger party ahead is passed over, not a blocker", () => {
    expect(allocateSeats(2, q(4, 2, 2))).toEqual({ offers: [{ id: "b", partySize: 2 }], passedOver: [{ id: "a", partySize: 4, seatsFree: 2 }] });
  });
  it("shares what is left down the queue, in order, and stops when nothing is left", () => {
    expect(allocateSeats(5, q(2, 4, 1, 3, 1))).toEqual({
      offers: [
        { id: "a", partySize: 2 },
        { id: "c", partySize: 1 },
        { id: "e", partySize: 1 },
      ],
      passedOver: [
        { id: "b", partySize: 4, seatsFree: 3 },
        { id: "d", partySize: 3, seatsFree: 2 },
      ],
    });
    expect(allocateSeats(5, q(2, 4, 1, 3, 1, 1)).offers.map((o) => o.id)).toEqual(["a", "c", "e", "f"]);
    expect(allocateSeats(6, q(2, 4, 1, 3, 1, 1)).offers.map((o) => o.id)).toEqual(["a", "b"]);
  });
  it("offers nothing when nothing is free, and records nobody as passed over", () => {
    expect(allocateSeats(0, q(1, 2))).toEqual({ offers: [], passedOver: [] });
    expect(allocateSeats(-3, q(1))).toEqual({ offers: [], passedOver: [] });
  });
  it("the list closes at bookingClosesAt when that comes before the start", () => {
    const startsAt = new Date("2030-01-01T20:00:00Z");
    expect(listClosesAt({ startsAt, bookingClosesAt: null })).toBe(startsAt);
    expect(listClosesAt({ startsAt, bookingClosesAt: new Date("2030-01-01T18:00:00Z") }).toISOString()).toBe("2030-01-01T18:00:00.000Z");
    expect(listClosesAt({ startsAt, bookingClosesAt: new Date("2030-01-02T18:00:00Z") })).toBe(startsAt);
  });
});
