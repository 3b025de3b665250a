// Test fixtures for check-in (not a test file itself).
import { factories } from "@sipario/db/testing";
import type { PrismaClient } from "@sipario/db";
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { createSession, generateSessionToken } from "../auth/session.service.ts";
import { errorData } from "../errors.ts";
import { ticketExpiry } from "../lib/ticket-time.ts";
import { generateToken, hashToken } from "../lib/tokens.ts";
import type { SessionUser } from "../lib/request.ts";

const HOUR = 3_600_000;

/** A confirmed reservation with a ticket token, for a performance starting at `startsAt` (default: now). */
export async function ticket(
  prisma: PrismaClient,
  options: {
    startsAt?: Date;
    performanceId?: string;
    status?: "pending" | "confirmed" | "cancelled" | "expired";
    partySize?: number;
    name?: string;
    email?: string;
    expiresAt?: Date;
  } = {},
) {
  const performanceId = options.performanceId ?? (await factories.performance(prisma, { startsAt: options.startsAt ?? new Date() })).id;
  const performance = await prisma.performance.findUniqueOrThrow({ where: { id: performanceId }, include: { venue: true } });
  const reservation = await factories.reservation(prisma, {
    performanceId,
    status: options.status ?? "confirmed",
    partySize: options.partySize ?? 2,
    confirmedAt: new Date(),
    ...(options.name ? { name: options.name } : {}),
    ...(options.email ? { email: options.email } : {}),
  });
  const token = generateToken();
  await prisma.reservationToken.create({
    data: {
      reservationId: reservation.id,
      purpose: "check_in",
      tokenHash: hashToken(token),
      expiresAt: options.expiresAt ?? ticketExpiry(performance.startsAt, performance.venue.timeZone, 0),
    },
  });
  return { token, reservation, performanceId };
}

export const inHours = (h: number) => new Date(Date.now() + h * HOUR);

export function asSessionUser(u: { id: string; email: string; name: string; role: "admin" | "staff" }): SessionUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role };
}

/** A user with a live session; returns the raw cookie token too. */
export async function staffWithSession(prisma: PrismaClient, role: "staff" | "admin" = "staff", name = "Door Staff") {
  const { user, password } = await factories.user(prisma, { role, name });
  const cookie = generateSessionToken();
  const session = await createSession(prisma, cookie, user.id, { SESSION_TTL_DAYS: 30 });
  return { user: asSessionUser(user), password, cookie, session };
}

/** Asserts a rejected tRPC call carries `code` and `data.reason` (as a client would see). */
export async function expectReason(promise: Promise<unknown>, code: string, reason: string): Promise<Record<string, unknown>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}/${reason}`).toBeInstanceOf(TRPCError);
  const trpc = error as TRPCError;
  const data = errorData(trpc);
  expect({ code: trpc.code, reason: data.reason }).toEqual({ code, reason });
  return data;
}

/** Calls a tRPC procedure over HTTP the way @trpc/client does (no batching, no transformer). */
export async function callHttp(
  baseUrl: string,
  path: string,
  kind: "query" | "mutation",
  input: unknown,
  cookie?: string,
): Promise<{ status: number; body: any; setCookie: string[] }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie) headers.cookie = `sipario_session=${cookie}`;
  const response =
    kind === "query"
      ? await fetch(`${baseUrl}/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers })
      : await fetch(`${baseUrl}/${path}`, { method: "POST", headers, body: input === undefined ? undefined : JSON.stringify(input) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* leave as text */
  }
  return { status: response.status, body, setCookie: response.headers.getSetCookie() };
}
