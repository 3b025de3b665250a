// The unsafe admin lock the users race test's control run injects, to prove the test can fail.
// Test-only: nothing outside testing/ and the tests imports this module.
import type { AdminLocker } from "../admin/users.service.ts";

/** Reads the admins without locking them, then pauses as a busy server would. */
export const unlockedAdminRead: AdminLocker = async (tx) => {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id"::text AS "id" FROM "User" WHERE "role" = 'admin'`;
  await new Promise((resolve) => setTimeout(resolve, 150));
  return rows.map((r) => r.id);
};
