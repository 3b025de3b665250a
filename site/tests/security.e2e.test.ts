import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { join } from "node:path";
import { seed } from "@sipario/db";
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteDir, startSite, type Site } from "./support/site.ts";

/**
 * Issue 13 on the built site, over plain HTTP: the /book/sent cookie (finding 11), the
 * booking code on the ticket (11), the site surviving a built file that disappears (15),
 * and the headers of finding 17.
 */
let db: TestDatabase;
let site: Site;
let copy: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db.prisma);
  // A private copy of the build: this file deletes built files under a running server.
  copy = join(siteDir, ".builds", `test-${process.pid}`);
  rmSync(copy, { recursive: true, force: true });
  cpSync(realpathSync(join(siteDir, "build")), copy, { recursive: true });
  site = await startSite({ DATABASE_URL: db.url! }, join(copy, "index.js"));
});

afterAll(async () => {
  await site?.stop();
  await db?.drop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

async function confirmedTicket(email: string) {
  const performance = await factories.performance(db.prisma);
  const reservation = await factories.reservation(db.prisma, { performanceId: performance.id, status: "confirmed", confirmedAt: new Date(), email });
  // A ticket token as packages/api makes them: 32 random bytes, only the SHA-256 stored.
  const token = randomBytes(32).toString("base64url");
  await db.prisma.reservationToken.create({
    data: {
      reservationId: reservation.id,
      purpose: "check_in",
      tokenHash: createHash("sha256").update(token).digest("hex"),
      expiresAt: new Date(performance.startsAt.getTime() + 86_400_000),
    },
  });
  return { reservation, token };
}

describe("/book/sent (finding 11)", () => {
  it("ignores a cookie this server did not sign: another visitor's reservation id shows nothing of theirs", async () => {
    const { reservation } = await confirmedTicket("victim@example.org");
    const page = await fetch(`${site.origin}/book/sent`, { headers: { cookie: `sipario_booked=${reservation.id}` } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain("victim@example.org");
    expect(html).not.toContain('data-status="confirmed"');
    // The page shows a visitor's own email when it works: never stored (finding 17).
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    // Nor can the forged cookie re-send the victim's confirmation.
    const resend = await fetch(`${site.origin}/book/sent?/resend`, {
      method: "POST",
      headers: { cookie: `sipario_booked=${reservation.id}`, origin: site.origin, "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(await db.prisma.emailOutbox.count({ where: { reservationId: reservation.id } })).toBe(0);
    expect(resend.status).toBeLessThan(500);
  });
});

describe("the ticket page (finding 11)", () => {
  it("shows the booking code, never the reservation id", async () => {
    const { reservation, token } = await confirmedTicket("holder@example.org");
    const html = await (await fetch(`${site.origin}/tickets/${token}`)).text();
    expect(html).toContain(reservation.bookingCode);
    expect(html).not.toContain(reservation.id);
    const ics = await (await fetch(`${site.origin}/tickets/${token}/calendar.ics`)).text();
    expect(ics).toContain(`UID:${reservation.bookingCode}@sipario`);
    expect(ics).not.toContain(reservation.id);
  });
});

describe("headers (finding 17)", () => {
  it("the camera only for the door scanner; nosniff on static files too", async () => {
    const home = await fetch(`${site.origin}/`);
    expect(home.headers.get("permissions-policy")).toContain("camera=()");
    const scanner = await fetch(`${site.origin}/staff/scan`, { redirect: "manual" });
    expect(scanner.headers.get("permissions-policy")).toContain("camera=(self)");
    const asset = await fetch(`${site.origin}/favicon.svg`);
    if (asset.status === 200) expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    const immutable = readdirSync(join(copy, "client", "_app", "immutable", "entry"))[0]!;
    const script = await fetch(`${site.origin}/_app/immutable/entry/${immutable}`);
    expect(script.status).toBe(200);
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("a built file that disappears (finding 15)", () => {
  it("answers 404 and the site keeps running", async () => {
    const dir = join(copy, "client", "_app", "immutable", "chunks");
    const name = readdirSync(dir).find((f) => f.endsWith(".js"))!;
    expect((await fetch(`${site.origin}/_app/immutable/chunks/${name}`)).status).toBe(200);
    for (const variant of [name, `${name}.br`, `${name}.gz`]) {
      if (existsSync(join(dir, variant))) rmSync(join(dir, variant));
    }
    for (const encoding of ["identity", "br, gzip"]) {
      const gone = await fetch(`${site.origin}/_app/immutable/chunks/${name}`, { headers: { "accept-encoding": encoding } });
      expect(gone.status).toBe(404);
    }
    expect(site.process.exitCode).toBeNull();
    expect((await fetch(`${site.origin}/healthz`)).status).toBe(200);
    expect((await fetch(`${site.origin}/`)).status).toBe(200);
  });
});
