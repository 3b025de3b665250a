import { Writable } from "node:stream";
import { createLogger, getLogger, setLogger } from "@sipario/api";
import { factories } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, login, startBackoffice, type Harness } from "./helpers.ts";

// The back-office's request log, captured through the same pino configuration as in
// production, on real requests: a login with a password, then API calls with the cookie.
const lines: string[] = [];
let h: Harness;
let original: ReturnType<typeof getLogger>;

beforeAll(async () => {
  original = getLogger();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  setLogger(createLogger(sink, "info"));
  h = await startBackoffice();
});
afterAll(async () => {
  setLogger(original);
  await h?.stop();
});

describe("back-office request logs", () => {
  it("one structured line per request, without passwords, emails, cookies or search terms", async () => {
    const { user, password } = await factories.user(h.db.prisma, { role: "admin" });
    const { cookie } = await login(h.base, user.email, password);
    const reservationEmail = "visitor-logged@example.org";
    const list = await adminApi(h.base, cookie).get(`/resources/Reservation/actions/list?filters.email=${encodeURIComponent(reservationEmail)}`);
    expect(list.status).toBe(200);

    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === "request");
    expect(requests.find((e) => e.method === "POST" && e.path === "/admin/login")).toMatchObject({
      status: 302,
      requestId: expect.any(String),
      durationMs: expect.any(Number),
    });
    expect(requests.some((e) => e.path === "/admin/api/resources/Reservation/actions/list" && e.status === 200)).toBe(true);
    const all = lines.join("\n");
    for (const secret of [password, user.email, reservationEmail, cookie!.split("=")[1]!]) {
      expect(all).not.toContain(secret);
    }
  });
});
