import { describe, expect, it } from "vitest";
import { isTransientDatabaseError } from "./errors.ts";

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
