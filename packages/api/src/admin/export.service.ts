import type { PrismaClient } from "@sipario/db";
import { DomainError } from "../errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BATCH = 500;

export const RESERVATION_CSV_COLUMNS = [
  "name",
  "email",
  "phone",
  "partySize",
  "status",
  "createdAt",
  "confirmedAt",
  "checkedInAt",
  "notes",
] as const;

/**
 * One CSV cell: quoted when needed, and a leading = + - @ (or tab/CR) neutralised with
 * an apostrophe, so a visitor's name cannot run as a formula in a spreadsheet.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The performance's label for a file name: "2026-12-01-show-slug". */
export async function reservationsExportName(prisma: PrismaClient, performanceId: string): Promise<string> {
  if (!UUID.test(performanceId)) throw new DomainError("not_found", "Performance not found.");
  const perf = await prisma.performance.findUnique({
    where: { id: performanceId },
    select: { startsAt: true, show: { select: { slug: true } } },
  });
  if (!perf) throw new DomainError("not_found", "Performance not found.");
  return `${perf.startsAt.toISOString().slice(0, 10)}-${perf.show.slug}`.replace(/[^a-z0-9-]/gi, "-");
}

/**
 * The box-office list of one performance as CSV lines (header first), read in batches so
 * a large list never sits in memory at once. Ordered by name. Includes every status, so
 * the door can tell a cancelled party from an unknown one.
 * Throws DomainError not_found for an unknown performance.
 */
export async function* reservationsCsv(prisma: PrismaClient, performanceId: string): AsyncGenerator<string> {
  await reservationsExportName(prisma, performanceId); // not_found check
  yield `${RESERVATION_CSV_COLUMNS.join(",")}\r\n`;
  let cursor: string | undefined;
  for (;;) {
    const rows = await prisma.reservation.findMany({
      where: { performanceId },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      take: BATCH,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      select: {
        id: true,
        name: true,
        email: true,
        phone: true,
        partySize: true,
        status: true,
        createdAt: true,
        confirmedAt: true,
        notes: true,
        checkIn: { select: { checkedInAt: true } },
      },
    });
    for (const r of rows) {
      const row = { ...r, checkedInAt: r.checkIn?.checkedInAt ?? null };
      yield `${RESERVATION_CSV_COLUMNS.map((c) => csvCell(row[c])).join(",")}\r\n`;
    }
    if (rows.length < BATCH) return;
    cursor = rows[rows.length - 1]!.id;
  }
}
