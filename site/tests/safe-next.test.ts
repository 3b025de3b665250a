// Issue 13, finding 10: where staff land after signing in.
import { describe, expect, it } from "vitest";
import { safeNext } from "../src/lib/staff/next.ts";

const ORIGIN = "https://teatro.example";
const FALLBACK = "/staff/scan";

describe("safeNext: only a path on this site", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeNext("/staff/scan?performance=abc", ORIGIN)).toBe("/staff/scan?performance=abc");
    expect(safeNext("/tickets/AbCdEfGhIjKlMnOpQrStUv#top", ORIGIN)).toBe("/tickets/AbCdEfGhIjKlMnOpQrStUv#top");
    expect(safeNext("/", ORIGIN)).toBe("/");
  });

  it.each([
    ["protocol-relative", "//evil.example/x"],
    ["backslash", "/\\evil.example"],
    ["tab then slash (the reported /%09/host)", "/\t/evil.example"],
    ["newline then slash", "/\n/evil.example"],
    ["carriage return", "/\r\nSet-Cookie: x=y"],
    ["NUL", "/staff\u0000scan"],
    ["DEL", "/staff\u007fscan"],
    ["dot segments to //", "/.//evil.example"],
    ["encoded-slash dot segment", "/x/..//evil.example"],
    ["absolute URL", "https://evil.example/"],
    ["javascript: URL", "javascript:alert(1)"],
    ["relative path", "staff/scan"],
    ["empty", ""],
    ["too long", `/${"a".repeat(600)}`],
    ["the login page itself", "/staff/login?next=/staff/login"],
    ["logout", "/staff/logout"],
    ["not a string", 42],
  ])("refuses %s", (_label, value) => {
    const result = safeNext(value, ORIGIN);
    expect(result).toBe(FALLBACK);
    // Whatever it answers resolves on this site, as the browser would read the Location.
    expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
  });
});
