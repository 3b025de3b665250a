// Issue 13, finding 4 in the back-office: its login uses the api's lockout rules,
// device cookie included.
import { factories } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, login, startBackoffice, type Harness } from "./helpers.ts";

let h: Harness;
beforeAll(async () => {
  h = await startBackoffice();
});
afterAll(async () => {
  await h?.stop();
});

/** A sign-in sending `deviceCookie`; answers the status and the device cookie it set. */
async function signIn(email: string, password: string, deviceCookie?: string) {
  const response = await fetch(`${h.base}/admin/login`, {
    method: "POST",
    body: form({ email, password }),
    redirect: "manual",
    headers: { origin: h.base, ...(deviceCookie ? { cookie: deviceCookie } : {}) },
  });
  const device = response.headers.getSetCookie().find((c) => c.startsWith("sipario_admin_device="));
  await response.arrayBuffer();
  return { status: response.status, device };
}

describe("back-office sign-in lockout", () => {
  it("an admin's own browser signs in after strangers' failures locked the account for everyone else", async () => {
    const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
    const first = await signIn(user.email, password);
    expect(first.status).toBe(302);
    expect(first.device).toMatch(/HttpOnly/i);
    expect(first.device).toMatch(/Path=\/admin/);
    expect(first.device).toMatch(/SameSite=Lax/i);
    const deviceCookie = first.device!.split(";")[0]!;

    for (let i = 0; i < 8; i++) await signIn(user.email, `stranger-guess-${i}`);
    // A browser without the cookie is locked out now (the control)...
    const stranger = await login(h.base, user.email, password);
    expect(stranger.response.status).toBe(400);
    // ...the admin's own browser is not.
    expect((await signIn(user.email, password, deviceCookie)).status).toBe(302);
  });

  it("successful sign-ins do not count: six in a row all succeed", async () => {
    const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
    for (let i = 0; i < 6; i++) expect((await signIn(user.email, password)).status).toBe(302);
  });
});
