import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateUserAsAdmin } from "../admin/users.service.ts";
import { authenticateUser } from "./auth.service.ts";
import { createSession, generateSessionToken, validateSessionToken } from "./session.service.ts";
import { testConfig } from "../testing/index.ts";

/**
 * Issue 13, finding 8: resetting a password with `npm run create-user` left the user's
 * site sessions valid. A password or role change, through any path, ends every session
 * of that user: on the site (Session rows) and in the back-office (backoffice/tests/
 * auth.test.ts holds that side through the same rule, auth/credentials.service.ts).
 */
let db: TestDatabase;
const config = testConfig({ RATE_LIMITS: "false" });
const actor = { userId: null, label: "test" };

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function signedIn(role: "admin" | "staff" = "staff") {
  const { user, password } = await factories.user(db.prisma, { role });
  const token = generateSessionToken();
  await createSession(db.prisma, token, user.id, config);
  return { user, password, token, live: async () => (await validateSessionToken(db.prisma, token, config)).user !== null };
}

/** Runs the create-user command as an operator would, the password on standard input. */
function createUserCommand(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = fileURLToPath(new URL("../cli/create-user.ts", import.meta.url));
  const child = spawn(process.execPath, ["--conditions=development", "--import", "tsx", file, ...args], {
    env: { ...process.env, DATABASE_URL: db.url!, LOG_LEVEL: "error" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("a password or role change ends every session of the user", () => {
  it("through the back-office's user edit: a new password, a new role; a new name keeps them", async () => {
    const renamed = await signedIn();
    await updateUserAsAdmin(db.prisma, renamed.user.id, { name: "Still Signed In" }, actor);
    expect(await renamed.live()).toBe(true);

    const promoted = await signedIn("staff");
    await updateUserAsAdmin(db.prisma, promoted.user.id, { role: "admin" }, actor);
    expect(await promoted.live()).toBe(false);

    const repassworded = await signedIn();
    await updateUserAsAdmin(db.prisma, repassworded.user.id, { password: "a-brand-new-password" }, actor);
    expect(await repassworded.live()).toBe(false);
  });

  it("through npm run create-user (password from standard input)", { timeout: 120_000 }, async () => {
    const target = await signedIn("staff");
    const run = await createUserCommand(["--email", target.user.email, "--role", "staff"], "a-reset-password-123\n");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("a-reset-password-123");
    expect(await target.live()).toBe(false);
    await expect(authenticateUser(db.prisma, target.user.email, "a-reset-password-123", "203.0.113.9", config)).resolves.toMatchObject({
      id: target.user.id,
    });
  });
});
