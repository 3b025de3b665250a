import { createHash, randomBytes } from "node:crypto";
import { Prisma } from "@sipario/db";
import { z } from "zod";
import { RAW_TOKEN_PATTERN } from "./ids.ts";
import { lineText } from "./text.ts";

/**
 * Raw tokens (confirmation links, tickets) are 32 bytes from the CSPRNG, base64url: 256
 * bits, URL-safe. Only `hashToken(raw)` is stored; the raw value lives in the email and
 * the QR code alone.
 */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 hex of a raw token: the `tokenHash` column. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * A ReservationToken row for each reservation id that `reservations` (a CTE of the
 * caller's statement, with an "id" column) returns, as a fragment of a single-statement
 * write: the link exists exactly when the write it belongs to happened. Only the hash of
 * `rawToken` is stored.
 */
export function insertReservationTokenSql(
  purpose: "confirmation" | "check_in",
  rawToken: string,
  expiresAt: Date,
  reservations: Prisma.Sql,
  now: Date,
): Prisma.Sql {
  return Prisma.sql`INSERT INTO "ReservationToken" ("id", "reservationId", "purpose", "tokenHash", "expiresAt", "createdAt")
    SELECT gen_random_uuid(), "id", ${purpose}::"TokenPurpose", ${hashToken(rawToken)}, ${expiresAt}, ${now} FROM ${reservations}
    RETURNING "id"`;
}

/** A raw token as clients send it; bounded so junk never reaches the database. */
export const rawTokenSchema = lineText().min(16, "Token too short").max(128, "Token too long").regex(RAW_TOKEN_PATTERN, "Malformed token");

/** `{ token }`, strict: the input of every procedure that takes a token. */
export const tokenInputSchema = z.object({ token: rawTokenSchema }).strict();
export type TokenInput = z.infer<typeof tokenInputSchema>;
