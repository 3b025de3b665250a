// Issue 13, finding 4: strangers must not be able to lock staff out before a show.
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectReason } from "../checkin/checkin.fixtures.ts";
import { memoryCookies, testCaller, testConfig } from "../testing/index.ts";

let db: TestDatabase;
const config = testConfig(); // RATE_LIMITS on
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** One browser: its own address and its own cookie jar, kept between calls. */
function phone(address: string) {
  const cookies = memoryCookies();
  return { cookies, caller: () => testCaller(db.prisma, { config, clientAddress: address, cookies }) };
}

describe("sign-in lockout counts failures, per account and address, with device cookies", () => {
  it("after 30 failures from other addresses, the staff's own phone still signs in", async () => {
    const { user, password } = await factories.user(db.prisma, { role: "staff", email: "door@azionelab.example" });
    const own = phone("198.51.100.10");
    await own.caller().auth.login({ email: user.email, password }); // signed in here before
    await own.caller().auth.logout();

    let refusedAttempts = 0;
    for (let i = 0; i < 30; i++) {
      const attacker = testCaller(db.prisma, { config, clientAddress: `203.0.113.${i + 1}` });
      try {
        await attacker.auth.login({ email: user.email, password: `guess-${i}-wrong` });
      } catch (error) {
        if ((error as { code?: string }).code === "TOO_MANY_REQUESTS") refusedAttempts++;
      }
    }
    // The account-wide limit did engage for strangers (the test can tell a lock from no lock)...
    expect(refusedAttempts).toBeGreaterThan(0);
    await expectReason(
      testCaller(db.prisma, { config, clientAddress: "203.0.113.250" }).auth.login({ email: user.email, password }),
      "TOO_MANY_REQUESTS",
      "rate_limited",
    );
    // ...and the phone that signed in before is exempt from it.
    await expect(own.caller().auth.login({ email: user.email, password })).resolves.toMatchObject({ user: { id: user.id } });
  });

  it("six phones sign in to one shared door account in a row", async () => {
    const { user, password } = await factories.user(db.prisma, { role: "staff", email: "porta@azionelab.example" });
    for (let i = 0; i < 6; i++) {
      // Same venue Wi-Fi (one address), six fresh browsers.
      await expect(phone("192.0.2.50").caller().auth.login({ email: user.email, password })).resolves.toMatchObject({ user: { id: user.id } });
    }
  });

  it("brute force from one address is still stopped, and refused attempts never extend the lock", async () => {
    const { user, password } = await factories.user(db.prisma, { role: "staff" });
    const caller = testCaller(db.prisma, { config, clientAddress: "203.0.113.99" });
    for (let i = 0; i < 5; i++) {
      await expectReason(caller.auth.login({ email: user.email, password: `wrong-${i}-wrong` }), "UNAUTHORIZED", "invalid_credentials");
    }
    const first = await expectReason(caller.auth.login({ email: user.email, password }), "TOO_MANY_REQUESTS", "rate_limited");
    const buckets = async () =>
      (await db.prisma.rateLimitBucket.findMany({ where: { key: { contains: "203.0.113.99" } }, orderBy: { key: "asc" } })).map((b) => `${b.key}=${b.count}`);
    const before = await buckets();
    for (let i = 0; i < 20; i++) {
      await expectReason(caller.auth.login({ email: user.email, password: "still-guessing" }), "TOO_MANY_REQUESTS", "rate_limited");
    }
    // The twenty refused attempts left every counter where the five failures put it.
    expect(await buckets()).toEqual(before);
    const later = await expectReason(caller.auth.login({ email: user.email, password }), "TOO_MANY_REQUESTS", "rate_limited");
    expect(Number(later.retryAfterSeconds)).toBeLessThanOrEqual(Number(first.retryAfterSeconds));
  });

  it("a device cookie is bound to its account and has its own small failure budget", async () => {
    const a = await factories.user(db.prisma, { role: "staff" });
    const b = await factories.user(db.prisma, { role: "staff" });
    const device = phone("198.51.100.77");
    await device.caller().auth.login({ email: a.user.email, password: a.password });
    // Guessing with a trusted device cookie is limited per device...
    for (let i = 0; i < 5; i++) {
      await expectReason(device.caller().auth.login({ email: a.user.email, password: `nope-${i}-nope` }), "UNAUTHORIZED", "invalid_credentials");
    }
    await expectReason(device.caller().auth.login({ email: a.user.email, password: a.password }), "TOO_MANY_REQUESTS", "rate_limited");
    // ...and the cookie says nothing about another account: b is counted as usual.
    await expect(device.caller().auth.login({ email: b.user.email, password: b.password })).resolves.toMatchObject({ user: { id: b.user.id } });
  });

  it("rate-limit rows never hold an email in clear", async () => {
    const keys = (await db.prisma.rateLimitBucket.findMany({ select: { key: true } })).map((r) => r.key).join(" ");
    expect(keys).toMatch(/login:/);
    expect(keys).not.toMatch(/@/);
  });
});
