import type { Writable } from "node:stream";
import type { PrismaClient } from "@sipario/db";
import ExcelJS from "exceljs";
import { getConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { safeTimeZone, wallClockAsUtc } from "../tickets/ticket-time.ts";
import { isUuid } from "../lib/ids.ts";

const BATCH = 500;

export const RESERVATION_CSV_COLUMNS = ["name", "email", "phone", "partySize", "status", "createdAt", "confirmedAt", "checkedInAt", "notes"] as const;

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
  if (!isUuid(performanceId)) throw new DomainError("not_found", "Performance not found.");
  const perf = await prisma.performance.findUnique({
    where: { id: performanceId },
    select: { startsAt: true, show: { select: { slug: true } } },
  });
  if (!perf) throw new DomainError("not_found", "Performance not found.");
  return `${perf.startsAt.toISOString().slice(0, 10)}-${perf.show.slug}`.replace(/[^a-z0-9-]/gi, "-");
}

type ExportColumn = (typeof RESERVATION_CSV_COLUMNS)[number];
type ExportRow = Record<ExportColumn, string | number | Date | null>;

/**
 * The box-office list of one performance, read in batches so a large list never sits in
 * memory at once. Ordered by name. Includes every status, so the door can tell a cancelled
 * party from an unknown one. Throws DomainError not_found for an unknown performance.
 */
async function* reservationRows(prisma: PrismaClient, performanceId: string): AsyncGenerator<ExportRow> {
  await reservationsExportName(prisma, performanceId); // not_found check
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
    for (const { id: _id, checkIn, ...r } of rows) yield { ...r, checkedInAt: checkIn?.checkedInAt ?? null };
    if (rows.length < BATCH) return;
    cursor = rows[rows.length - 1]!.id;
  }
}

/** The box-office list as CSV lines, header first (see reservationRows). */
export async function* reservationsCsv(prisma: PrismaClient, performanceId: string): AsyncGenerator<string> {
  const rows = reservationRows(prisma, performanceId);
  // Pull the first row before the header, so an unknown performance throws before any output.
  const first = await rows.next();
  yield `${RESERVATION_CSV_COLUMNS.join(",")}\r\n`;
  if (first.done) return;
  yield `${RESERVATION_CSV_COLUMNS.map((c) => csvCell(first.value[c])).join(",")}\r\n`;
  for await (const row of rows) yield `${RESERVATION_CSV_COLUMNS.map((c) => csvCell(row[c])).join(",")}\r\n`;
}

const DATE_COLUMNS: readonly ExportColumn[] = ["createdAt", "confirmedAt", "checkedInAt"];

const XLSX_WIDTHS: Record<ExportColumn, number> = {
  name: 28,
  email: 30,
  phone: 16,
  partySize: 10,
  status: 12,
  createdAt: 18,
  confirmedAt: 18,
  checkedInAt: 18,
  notes: 40,
};

/**
 * The box-office list as an .xlsx workbook, streamed into `output` row by row (exceljs'
 * streaming writer). Cells are typed (numbers, dates in the performance's display format)
 * and text is written as text, never as a formula, so names like "=HYPERLINK(...)" stay
 * inert without the CSV's apostrophe. Throws DomainError not_found before writing anything.
 */
export async function writeReservationsXlsx(prisma: PrismaClient, performanceId: string, output: Writable): Promise<void> {
  const rows = reservationRows(prisma, performanceId);
  const first = await rows.next();
  // Spreadsheet dates have no zone: write the venue's wall-clock time, and say so.
  const venue = await prisma.performance.findUniqueOrThrow({ where: { id: performanceId }, select: { venue: { select: { timeZone: true } } } });
  const timeZone = safeTimeZone(venue.venue.timeZone, getConfig().TIME_ZONE);
  const local = (row: ExportRow): ExportRow => {
    const out = { ...row };
    for (const key of DATE_COLUMNS) {
      const value = out[key];
      if (value instanceof Date) out[key] = wallClockAsUtc(value, timeZone);
    }
    return out;
  };
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet("Reservations", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = RESERVATION_CSV_COLUMNS.map((key) => ({
    header: DATE_COLUMNS.includes(key) ? `${key} (${timeZone})` : key,
    key,
    width: XLSX_WIDTHS[key],
    style: DATE_COLUMNS.includes(key) ? { numFmt: "yyyy-mm-dd hh:mm" } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  if (!first.done) sheet.addRow(local(first.value)).commit();
  for await (const row of rows) sheet.addRow(local(row)).commit();
  sheet.commit();
  await workbook.commit();
}
