import { describe, expect, it } from "vitest";
import { DomainError, isTransientDatabaseError, toTRPCError } from "./errors.ts";

/** The shape @prisma/adapter-pg throws (name, message and cause as in its DriverAdapterError). */
function driverAdapterError(kind: string): Error {
  return Object.assign(new Error(kind), { name: "DriverAdapterError", cause: { kind } });
}

// Shapes seen when the database connection drops (tests/fault/db-outage.test.ts): each
// must become a retryable 503, not a 500.
describe("isTransientDatabaseError", () => {
  it("recognises a bare DriverAdapterError from a transaction's commit or rollback", () => {
    expect(isTransientDatabaseError(driverAdapterError("ConnectionClosed"))).toBe(true);
  });
  it("recognises Prisma-wrapped adapter errors and Prisma's connection codes", () => {
    expect(isTransientDatabaseError({ code: "P2010", meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } })).toBe(true);
    expect(isTransientDatabaseError({ code: "P1017", message: "Server has closed the connection." })).toBe(true);
    expect(isTransientDatabaseError(new Error("Connection terminated unexpectedly"))).toBe(true);
  });
  it("leaves real bugs and constraint violations alone", () => {
    expect(isTransientDatabaseError(new TypeError("x is undefined"))).toBe(false);
    expect(isTransientDatabaseError({ code: "P2002", meta: { target: ["slug"] } })).toBe(false);
    expect(isTransientDatabaseError(driverAdapterError("UniqueConstraintViolation"))).toBe(false);
  });
});

describe("DomainError", () => {
  it("carries reason, details and code but no stack frames, and leaves stack traces on for everything else", () => {
    const before = Error.stackTraceLimit;
    const error = new DomainError("not_enough_seats", "Sold out.", { availableSeats: 0 });
    expect(error).toBeInstanceOf(Error);
    expect([error.reason, error.code, error.details, error.message]).toEqual(["not_enough_seats", "CONFLICT", { availableSeats: 0 }, "Sold out."]);
    expect(error.stack).toBe("DomainError: Sold out.");
    const trpc = toTRPCError(error);
    expect([trpc.code, trpc.cause]).toEqual(["CONFLICT", error]);
    expect(trpc.stack).toBe("TRPCError: Sold out.");
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error("a bug").stack!.split("\n").length).toBeGreaterThan(1);
  });
});
