import { RATE_LIMITS } from "@sipario/api";
import { factories } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, startBackoffice, type Harness } from "./helpers.ts";

/** The back-office as compose runs it behind Caddy: the visitor's address comes from X-Forwarded-For. */
let h: Harness;

beforeAll(async () => {
  h = await startBackoffice({ ADDRESS_HEADER: "X-Forwarded-For", XFF_DEPTH: "1" });
});
afterAll(async () => {
  await h?.stop();
});

const signIn = (email: string, password: string, forwardedFor: string) =>
  fetch(`${h.base}/admin/login`, {
    method: "POST",
    body: form({ email, password }),
    headers: { origin: h.base, "x-forwarded-for": forwardedFor },
    redirect: "manual",
  });

describe("behind the proxy", () => {
  it("keys the per-address sign-in limit on the visitor's address, not the proxy's", async () => {
    const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
    // One address guesses at many accounts until its own limit refuses it; its own
    // forged X-Forwarded-For entries (on the left) do not get it a fresh bucket.
    const attempts = RATE_LIMITS.loginFailuresPerAddress.limit + 1;
    const answers: number[] = [];
    for (let i = 0; i < attempts; i++) {
      const response = await signIn(`nobody-${i}@example.org`, "wrong-password", `10.9.${i}.1, 198.51.100.66`);
      answers.push(response.status);
      await response.body?.cancel();
    }
    expect(answers.at(-1)).toBe(400); // "Too many sign-in attempts"
    // Another admin, through the same proxy (same socket address), signs in.
    const other = await signIn(user.email, password, "203.0.113.20");
    expect(other.status).toBe(302);
    // Control: the guessing address is still refused, even with a real password.
    const again = await signIn(user.email, password, "198.51.100.66");
    expect(again.status).toBe(400);
  });
});
