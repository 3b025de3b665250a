import { describe, expect, it } from "vitest";
import { withinPerformanceDay } from "./checkin.service.ts";

// Pure day-window rule: the venue's wall clock decides, whatever the server's zone.
describe("withinPerformanceDay", () => {
  const rome = "Europe/Rome";
  // 23:00 in Rome on Saturday 28 March 2026; clocks go forward that night.
  const lateShow = new Date("2026-03-28T22:00:00Z");

  it("accepts any time on the performance's local day, before or after the start", () => {
    expect(withinPerformanceDay(lateShow, rome, 0, new Date("2026-03-27T23:30:00Z"))).toBe(true); // 00:30 local
    expect(withinPerformanceDay(lateShow, rome, 0, new Date("2026-03-28T21:59:00Z"))).toBe(true);
    expect(withinPerformanceDay(lateShow, rome, 0, new Date("2026-03-28T22:59:00Z"))).toBe(true); // 23:59 local
  });

  it("refuses the day before and the day after, unless the grace hours cover it", () => {
    expect(withinPerformanceDay(lateShow, rome, 0, new Date("2026-03-27T22:59:00Z"))).toBe(false); // 23:59 the day before
    const afterMidnight = new Date("2026-03-28T23:30:00Z"); // 00:30 local on the 29th
    expect(withinPerformanceDay(lateShow, rome, 0, afterMidnight)).toBe(false);
    expect(withinPerformanceDay(lateShow, rome, 2, afterMidnight)).toBe(true);
    expect(withinPerformanceDay(lateShow, rome, 2, new Date("2026-03-29T01:30:00Z"))).toBe(false); // 03:30 local (DST)
  });

  it("uses the venue's zone, not UTC", () => {
    // 00:30 in Rome on the 29th is still the 28th in UTC: the venue's day has ended.
    expect(withinPerformanceDay(lateShow, rome, 0, new Date("2026-03-28T23:30:00Z"))).toBe(false);
    expect(withinPerformanceDay(lateShow, "UTC", 0, new Date("2026-03-28T23:30:00Z"))).toBe(true);
  });
});
