import { verifyPassword } from "@sipario/db";
import { createTestDatabase, factories, requireRealPostgres, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit, scrubChanges, diffRecords } from "../audit/audit.service.ts";
import { DomainError } from "../errors.ts";
import { dayBounds } from "./dashboard.service.ts";
import { csvCell, reservationsCsv } from "./export.service.ts";
import { unlockedAdminRead } from "../testing/unsafe-admin.ts";
import { type AdminLocker, createUserAsAdmin, deleteUserAsAdmin, updateUserAsAdmin } from "./users.service.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const reasonOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: unknown) => (e instanceof DomainError ? e.reason : `unexpected: ${String(e)}`),
  );

describe("audit log", () => {
  it("never stores passwords, tokens or hashes, at any depth", async () => {
    const row = await recordAudit(db.prisma, {
      userId: null,
      action: "edit",
      entity: "User",
      entityId: "x",
      changes: { name: "Ada", password: "hunter2-hunter2", nested: { tokenHash: "abc", ticketToken: "raw", when: new Date(0) } },
    });
    expect(row.changes).toEqual({
      name: "Ada",
      password: "[redacted]",
      nested: { tokenHash: "[redacted]", ticketToken: "[redacted]", when: "1970-01-01T00:00:00.000Z" },
    });
    expect(scrubChanges({ passwordHash: "$argon2id$..." })).toEqual({ passwordHash: "[redacted]" });
    expect(diffRecords({ a: 1, b: 2, updatedAt: 1 }, { a: 1, b: 3, updatedAt: 2 })).toEqual({ b: { from: 2, to: 3 } });
  });
});

describe("user management", () => {
  it("creates users with an argon2 hash and rejects bad input with the field", async () => {
    const actor = { userId: null, label: "test" };
    const user = await createUserAsAdmin(db.prisma, { email: " New@Example.org ", name: "New", role: "staff", password: "a-long-password" }, actor);
    expect(user).not.toHaveProperty("passwordHash");
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.email).toBe("new@example.org");
    expect(await verifyPassword(row.passwordHash, "a-long-password")).toBe(true);
    const dup = await createUserAsAdmin(db.prisma, { email: "new@example.org", role: "staff", password: "a-long-password" }, actor).catch((e) => e);
    expect(dup).toBeInstanceOf(DomainError);
    expect(dup.details.field).toBe("email");
    const weak = await createUserAsAdmin(db.prisma, { email: "w@example.org", role: "staff", password: "short" }, actor).catch((e) => e);
    expect(weak.details.field).toBe("password");
    const bad = await createUserAsAdmin(db.prisma, { email: "w@example.org", role: "root", password: "a-long-password" }, actor).catch((e) => e);
    expect(bad.details.field).toBe("role");
  });

  it("never removes or demotes the last admin", async () => {
    await db.prisma.user.updateMany({ where: { role: "admin" }, data: { role: "staff" } });
    const { user } = await factories.user(db.prisma, { role: "admin" });
    const actor = { userId: user.id, label: user.email };
    expect(await reasonOf(updateUserAsAdmin(db.prisma, user.id, { role: "staff" }, actor))).toBe("last_admin");
    expect(await reasonOf(deleteUserAsAdmin(db.prisma, user.id, actor))).toBe("last_admin");
    const { user: second } = await factories.user(db.prisma, { role: "admin" });
    expect(await reasonOf(updateUserAsAdmin(db.prisma, user.id, { role: "staff" }, actor))).toBe("ok");
    expect(await reasonOf(deleteUserAsAdmin(db.prisma, second.id, actor))).toBe("last_admin");
  });

  it("two admins demoting each other at once leave one admin (control: without the lock, none)", async () => {
    if (!(await requireRealPostgres())) return; // PGlite runs one query at a time
    const race = async (options: { lock?: AdminLocker } = {}) => {
      await db.prisma.user.updateMany({ where: { role: "admin" }, data: { role: "staff" } });
      const { user: a } = await factories.user(db.prisma, { role: "admin" });
      const { user: b } = await factories.user(db.prisma, { role: "admin" });
      const results = await Promise.all([
        reasonOf(updateUserAsAdmin(db.prisma, a.id, { role: "staff" }, { userId: b.id }, options)),
        reasonOf(updateUserAsAdmin(db.prisma, b.id, { role: "staff" }, { userId: a.id }, options)),
      ]);
      return { results: results.sort(), admins: await db.prisma.user.count({ where: { role: "admin" } }) };
    };
    expect(await race()).toEqual({ results: ["last_admin", "ok"], admins: 1 });
    expect(await race({ lock: unlockedAdminRead })).toEqual({ results: ["ok", "ok"], admins: 0 });
  });

  it("keeps a user who recorded check-ins", async () => {
    const { user } = await factories.user(db.prisma, { role: "staff" });
    const perf = await factories.performance(db.prisma);
    const r = await factories.reservation(db.prisma, { performanceId: perf.id, status: "confirmed" });
    await db.prisma.checkIn.create({ data: { reservationId: r.id, checkedInById: user.id } });
    expect(await reasonOf(deleteUserAsAdmin(db.prisma, user.id, { userId: null }))).toBe("invalid_input");
    expect(await db.prisma.user.count({ where: { id: user.id } })).toBe(1);
  });
});

describe("CSV export", () => {
  it("quotes and neutralises cells", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell(null)).toBe("");
  });

  it("lists every reservation of the performance, in pages, and nothing of others", async () => {
    const perf = await factories.performance(db.prisma);
    const other = await factories.performance(db.prisma);
    await db.prisma.reservation.createMany({
      data: Array.from({ length: 1203 }, (_, i) => ({
        performanceId: perf.id,
        name: `P${String(i).padStart(4, "0")}`,
        email: `p${i}@example.org`,
        partySize: 1,
      })),
    });
    await factories.reservation(db.prisma, { performanceId: other.id, name: "Elsewhere" });
    const lines: string[] = [];
    for await (const line of reservationsCsv(db.prisma, perf.id)) lines.push(line);
    expect(lines).toHaveLength(1204);
    expect(new Set(lines).size).toBe(1204); // no row twice across pages
    expect(lines.join("")).not.toContain("Elsewhere");
    expect(lines[0]).toBe("Nome;Email;Telefono;Posti;Stato;Prenotata il (Europe/Rome);Confermata il (Europe/Rome);Entrata alle (Europe/Rome);Note\r\n");
    expect(lines[1]!.startsWith("P0000;p0@example.org;;1;in attesa di conferma;")).toBe(true);
    expect(
      await reasonOf(
        (async () => {
          for await (const _ of reservationsCsv(db.prisma, "00000000-0000-4000-8000-000000000000")) void _;
        })(),
      ),
    ).toBe("not_found");
  });
});

describe("dashboard day", () => {
  it("is the calendar day in the company's time zone, across DST changes", () => {
    // 2026-03-29: Rome moves from +01:00 to +02:00; the day is 23 hours long.
    const { start, end } = dayBounds(new Date("2026-03-29T12:00:00Z"), "Europe/Rome");
    expect(start.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(end.toISOString()).toBe("2026-03-29T22:00:00.000Z");
    // 23:30 in Rome on 1 July is still 1 July there (21:30 UTC).
    const summer = dayBounds(new Date("2026-07-01T21:30:00Z"), "Europe/Rome");
    expect(summer.start.toISOString()).toBe("2026-06-30T22:00:00.000Z");
  });
});
