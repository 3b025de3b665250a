import { describe, expect, it } from "vitest";
import { clientAddress, UNKNOWN_ADDRESS } from "./client-address.ts";

const from = (headers: Record<string, string>, socket = "10.0.0.9") => ({
  header: (name: string) => headers[name.toLowerCase()],
  socketAddress: () => socket,
});

describe("clientAddress (adapter-node's ADDRESS_HEADER / XFF_DEPTH semantics)", () => {
  it("is the socket's address without ADDRESS_HEADER, whatever X-Forwarded-For says", () => {
    expect(clientAddress(from({ "x-forwarded-for": "1.2.3.4" }), { XFF_DEPTH: 1 })).toBe("10.0.0.9");
    expect(clientAddress(from({}, ""), { XFF_DEPTH: 1 })).toBe(UNKNOWN_ADDRESS);
  });

  it("takes the X-Forwarded-For entry XFF_DEPTH from the right: the one our proxy wrote", () => {
    const settings = { ADDRESS_HEADER: "X-Forwarded-For", XFF_DEPTH: 1 };
    expect(clientAddress(from({ "x-forwarded-for": "203.0.113.7" }), settings)).toBe("203.0.113.7");
    // A client that sends its own header only adds entries on the left.
    expect(clientAddress(from({ "x-forwarded-for": "1.2.3.4, 203.0.113.7" }), settings)).toBe("203.0.113.7");
    expect(clientAddress(from({ "x-forwarded-for": "1.2.3.4, 203.0.113.7 ,10.0.0.2" }), { ...settings, XFF_DEPTH: 2 })).toBe("203.0.113.7");
    expect(clientAddress(from({ "x-forwarded-for": "2001:db8::1" }), settings)).toBe("2001:db8::1");
  });

  it("answers one shared bucket where adapter-node throws: header absent, fewer entries than XFF_DEPTH", () => {
    const settings = { ADDRESS_HEADER: "x-forwarded-for", XFF_DEPTH: 2 };
    expect(clientAddress(from({}), settings)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(from({ "x-forwarded-for": "203.0.113.7" }), settings)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(from({ "x-forwarded-for": "" }), { ...settings, XFF_DEPTH: 1 })).toBe(UNKNOWN_ADDRESS);
  });

  it("reads any other header as a whole (e.g. a CDN's True-Client-IP)", () => {
    expect(clientAddress(from({ "true-client-ip": " 198.51.100.4 " }), { ADDRESS_HEADER: "True-Client-IP", XFF_DEPTH: 1 })).toBe("198.51.100.4");
  });
});
