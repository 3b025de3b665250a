import { describe, expect, it } from "vitest";
import { isRawToken, isUuid, ticketTokenOfPath } from "./ids.ts";
import { ticketUrl } from "./ticket-assets.ts";
import { generateToken } from "./tokens.ts";

describe("ids", () => {
  it("knows a generated token, and refuses what is too short, too long or not base64url", () => {
    expect(isRawToken(generateToken())).toBe(true);
    expect(isRawToken("a".repeat(15))).toBe(false);
    expect(isRawToken("a".repeat(129))).toBe(false);
    expect(isRawToken(`${"a".repeat(20)}/`)).toBe(false);
  });

  it("reads the token back from the ticket link ticketUrl builds, and nothing from other paths", () => {
    const token = generateToken();
    expect(ticketTokenOfPath(new URL(ticketUrl("https://teatro.example", token)).pathname)).toBe(token);
    expect(ticketTokenOfPath(`/tickets/${token}/`)).toBe(token);
    expect(ticketTokenOfPath(`/confirm/${token}`)).toBeNull();
    expect(ticketTokenOfPath(`/tickets/${token}/calendar.ics`)).toBeNull();
  });

  it("knows a row id", () => {
    expect(isUuid("7f1c9a52-3b6e-4d8a-9c1e-2a5b7d9e0f13")).toBe(true);
    expect(isUuid("7f1c9a52-3b6e-4d8a-9c1e-2a5b7d9e0f1")).toBe(false);
  });
});
