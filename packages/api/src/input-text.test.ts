import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import type { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callHttp, staffWithSession } from "./checkin/checkin.fixtures.ts";
import { isDatabaseInputError } from "./errors.ts";
import { CONTROL_CHARACTER_MESSAGE } from "./lib/text.ts";
import { appRouter } from "./root.ts";
import { startTrpcHttpServer } from "./testing/http-server.ts";
import { testConfig } from "./testing/index.ts";
import { generateToken } from "./lib/tokens.ts";

/**
 * Issue 13, finding 16 (site part): a NUL in checkin.search reached PostgreSQL and
 * answered 500 (error 22021). Every string of every tRPC input now refuses control
 * characters in zod (lib/text.ts), so such input answers 400 `invalid_input` with a
 * reason, whichever procedure it is sent to.
 */
type AnyProcedure = { _def: { type: "query" | "mutation"; inputs: z.ZodType[] } };
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, AnyProcedure> } })._def.procedures;

const UUID = "7f1c9a52-3b6e-4d8a-9c1e-2a5b7d9e0f13";
const TOKEN = generateToken();
const NOW = "2026-12-02T12:00:00.000Z";
/** The shape of a signed sipario_booked cookie (its signature is the service's business). */
const RECEIPT = "7f1c9a52-3b6e-4d8a-9c1e-2a5b7d9e0f13.1767225600000.c2lnbmF0dXJl";

/** A valid input for every procedure that takes one; performance ids are filled in per run. */
function validInputs(performanceId: string): Record<string, Record<string, unknown>> {
  const booking = { performanceId, name: "Ada Lovelace", email: "ada@example.org", phone: "+39 06 1234", partySize: 1 };
  return {
    "auth.login": { email: "nobody@example.org", password: "not the password" },
    "booking.confirm": { token: TOKEN },
    "booking.create": { ...booking, notes: "Line one\nline two", locale: "en" },
    "booking.describe": { token: TOKEN },
    "booking.resend": { receipt: RECEIPT },
    "booking.summary": { receipt: RECEIPT, locale: "en" },
    "catalogue.performance": { id: performanceId },
    "catalogue.performances": { show: "some-show", from: NOW, limit: 5 },
    "catalogue.show": { slug: "some-show", locale: "en" },
    "catalogue.shows": { locale: "en" },
    "catalogue.venue": { slug: "some-venue", locale: "en" },
    "checkin.confirm": { token: TOKEN, performanceId },
    "checkin.conflicts": { performanceId },
    "checkin.doorList": { performanceId },
    "checkin.doorStats": { performanceId },
    "checkin.manifest": { performanceId, since: "abcdef" },
    "checkin.manual": { reservationId: UUID },
    "checkin.preview": { token: TOKEN, performanceId },
    "checkin.search": { performanceId, q: "Ada Lovelace" },
    "checkin.sync": { deviceId: "door-phone-1", scans: [{ id: UUID, token: TOKEN, scannedAt: NOW }] },
    "checkin.undo": { reservationId: UUID },
    "content.menu": { locale: "en" },
    "content.page": { slug: "privacy", locale: "en" },
    "content.settings": { locale: "it" },
    "health.ready": {},
    "tickets.calendar": { token: TOKEN },
    "tickets.cancel": { token: TOKEN },
    "tickets.get": { token: TOKEN, locale: "en" },
    "tickets.lost": { email: "ada@example.org", locale: "it" },
    "waitlist.confirm": { token: TOKEN },
    "waitlist.join": { ...booking, locale: "it" },
    "waitlist.leave": { token: TOKEN },
    "waitlist.status": { token: TOKEN },
  };
}

/** Every string in `value`, by path, with a copy of `value` where that string is `replace(string)`. */
function* stringVariants(value: unknown, replace: (s: string) => string, path: (string | number)[] = []): Generator<{ path: string; input: unknown }> {
  if (typeof value === "string") {
    yield { path: path.join("."), input: replace(value) };
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      for (const v of stringVariants(item, replace, [...path, i])) yield { path: v.path, input: value.map((x, j) => (j === i ? v.input : x)) };
    }
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      for (const v of stringVariants(item, replace, [...path, key])) yield { path: v.path, input: { ...value, [key]: v.input } };
    }
  }
}

// NUL (PostgreSQL's 22021), a bell, an escape sequence, DEL and a C1 control, mid-string.
const HOSTILE = ["\u0000", "\u0007", "\u001b[2J", "\u007f", "\u0085"];
const withControl = (c: string) => (s: string) => `${s.slice(0, 2)}${c}${s.slice(2)}`;

describe("control characters in tRPC input", () => {
  it("every procedure with an input is covered here", () => {
    const withInput = Object.keys(procedures).filter((name) => procedures[name]!._def.inputs.length > 0);
    expect(withInput.sort()).toEqual(Object.keys(validInputs(UUID)).sort());
  });

  it("every string field of every input refuses them in zod, with a reason naming the field", () => {
    let checked = 0;
    for (const [name, input] of Object.entries(validInputs(UUID))) {
      const schema = procedures[name]!._def.inputs[0]!;
      expect(schema.safeParse(input).success, `${name}: the valid input parses`).toBe(true);
      for (const c of HOSTILE) {
        for (const variant of stringVariants(input, withControl(c))) {
          const parsed = schema.safeParse(variant.input);
          expect(parsed.success, `${name}.${variant.path} with U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`).toBe(false);
          checked++;
        }
      }
    }
    // Line breaks stay allowed where text spans lines (a note).
    expect(procedures["booking.create"]!._def.inputs[0]!.safeParse({ ...validInputs(UUID)["booking.create"], notes: "a\r\n\tb" }).success).toBe(true);
    console.info(`control characters: ${checked} fields refused in zod`);
  });

  describe("over HTTP, signed in as an admin", () => {
    let db: TestDatabase;
    let http: Awaited<ReturnType<typeof startTrpcHttpServer>>;
    let cookie: string;
    let performanceId: string;

    beforeAll(async () => {
      db = await createTestDatabase();
      http = await startTrpcHttpServer(db.prisma, testConfig({ RATE_LIMITS: "false" }));
      cookie = (await staffWithSession(db.prisma, "admin")).cookie;
      performanceId = (await factories.performance(db.prisma, { startsAt: new Date() })).id;
      await factories.reservation(db.prisma, { performanceId, status: "confirmed", name: "Ada Lovelace" });
    });
    afterAll(async () => {
      await http?.close();
      await db?.drop();
    });

    it("a NUL in checkin.search answers 400 invalid_input, not 500", async () => {
      const ok = await callHttp(http.url, "checkin.search", "query", { performanceId, q: "Ada" }, cookie);
      expect(ok.status).toBe(200);
      const nul = await callHttp(http.url, "checkin.search", "query", { performanceId, q: "Ad\u0000a" }, cookie);
      expect(nul.status).toBe(400);
      expect(nul.body.error.data.reason).toBe("invalid_input");
      expect(nul.body.error.data.issues).toEqual([{ path: "q", message: CONTROL_CHARACTER_MESSAGE }]);
    });

    it("what PostgreSQL refuses as data (class 22, a NUL among them) is recognised as bad input", async () => {
      const nul = await db.prisma.$queryRaw`SELECT ${"a\u0000b"}::text AS t`.catch((e: unknown) => e);
      const notANumber = await db.prisma.$queryRaw`SELECT ${"twelve"}::int AS n`.catch((e: unknown) => e);
      expect([isDatabaseInputError(nul), isDatabaseInputError(notANumber)]).toEqual([true, true]);
      const missingTable = await db.prisma.$queryRaw`SELECT 1 FROM "NoSuchTable"`.catch((e: unknown) => e);
      expect(isDatabaseInputError(missingTable)).toBe(false);
    });

    it("every string field of every procedure answers 4xx with a reason", async () => {
      let calls = 0;
      const fiveHundreds: string[] = [];
      for (const [name, input] of Object.entries(validInputs(performanceId))) {
        if (name === "auth.login") continue; // signs the admin out of nothing, but hashes: covered in zod above
        for (const variant of stringVariants(input, withControl("\u0000"))) {
          const answer = await callHttp(http.url, name, procedures[name]!._def.type, variant.input, cookie);
          calls++;
          if (answer.status >= 500) fiveHundreds.push(`${name}.${variant.path}: ${answer.status}`);
          expect(answer.status, `${name}.${variant.path}`).toBeGreaterThanOrEqual(400);
          expect(answer.body.error.data.reason, `${name}.${variant.path}`).toBe("invalid_input");
        }
      }
      expect(fiveHundreds).toEqual([]);
      console.info(`control characters: ${calls} calls, ${fiveHundreds.length} 5xx`);
    });
  });
});
