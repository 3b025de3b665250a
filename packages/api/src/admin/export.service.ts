import type { Writable } from "node:stream";
import type { PrismaClient } from "@sipario/db";
import { getConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { safeTimeZone, wallClockAsUtc } from "../lib/ticket-time.ts";
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
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The language of an export's headers and status words: the admin's. */
export type ExportLanguage = "it" | "en";

const HEADERS: Record<ExportLanguage, Record<ExportColumn, string>> = {
  it: {
    name: "Nome",
    email: "Email",
    phone: "Telefono",
    partySize: "Posti",
    status: "Stato",
    createdAt: "Prenotata il",
    confirmedAt: "Confermata il",
    checkedInAt: "Entrata alle",
    notes: "Note",
  },
  en: {
    name: "Name",
    email: "Email",
    phone: "Phone",
    partySize: "Seats",
    status: "Status",
    createdAt: "Booked at",
    confirmedAt: "Confirmed at",
    checkedInAt: "Checked in at",
    notes: "Notes",
  },
};

const STATUS_WORDS: Record<ExportLanguage, Record<string, string>> = {
  it: { pending: "in attesa di conferma", confirmed: "confermata", cancelled: "annullata", expired: "scaduta" },
  en: { pending: "awaiting confirmation", confirmed: "confirmed", cancelled: "cancelled", expired: "expired" },
};

/** A header as the admin reads it; date columns say whose clock they show. */
function header(column: ExportColumn, language: ExportLanguage, timeZone: string): string {
  return DATE_COLUMNS.includes(column) ? `${HEADERS[language][column]} (${timeZone})` : HEADERS[language][column];
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * A date as spreadsheet programs in that language read it, on the venue's clock:
 * "14/12/2026 20:30" (Italian Excel), "2026-12-14 20:30" (English).
 */
function localDateTime(value: Date, timeZone: string, language: ExportLanguage): string {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    dateTimeFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(value).map((p) => [p.type, p.value]));
  return language === "it"
    ? `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`
    : `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/** The venue's zone of a performance (the clock its list is written in). */
async function exportZone(prisma: PrismaClient, performanceId: string): Promise<string> {
  const venue = await prisma.performance.findUniqueOrThrow({ where: { id: performanceId }, select: { venue: { select: { timeZone: true } } } });
  return safeTimeZone(venue.venue.timeZone, getConfig().TIME_ZONE);
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
const DATE_COLUMNS: readonly ExportColumn[] = ["createdAt", "confirmedAt", "checkedInAt"];
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

/**
 * The box-office list as CSV lines, header first (see reservationRows), for a spreadsheet
 * in Italy: `;` between cells (Italian Excel's list separator; a comma is its decimal
 * mark), headers and statuses in the admin's language, times on the venue's clock. The
 * caller writes the UTF-8 BOM first so accents open right.
 */
export async function* reservationsCsv(prisma: PrismaClient, performanceId: string, language: ExportLanguage = "it"): AsyncGenerator<string> {
  const rows = reservationRows(prisma, performanceId);
  // Pull the first row before the header, so an unknown performance throws before any output.
  const first = await rows.next();
  const timeZone = await exportZone(prisma, performanceId);
  const line = (row: ExportRow) =>
    `${RESERVATION_CSV_COLUMNS.map((c) => {
      const value = row[c];
      if (value instanceof Date) return csvCell(localDateTime(value, timeZone, language));
      return csvCell(c === "status" && typeof value === "string" ? (STATUS_WORDS[language][value] ?? value) : value);
    }).join(";")}\r\n`;
  yield `${RESERVATION_CSV_COLUMNS.map((c) => csvCell(header(c, language, timeZone))).join(";")}\r\n`;
  if (first.done) return;
  yield line(first.value);
  for await (const row of rows) yield line(row);
}

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
export async function writeReservationsXlsx(prisma: PrismaClient, performanceId: string, output: Writable, language: ExportLanguage = "it"): Promise<void> {
  const rows = reservationRows(prisma, performanceId);
  const first = await rows.next();
  // Spreadsheet dates have no zone: write the venue's wall-clock time, and say so.
  const timeZone = await exportZone(prisma, performanceId);
  const local = (row: ExportRow): ExportRow => {
    const out = { ...row };
    for (const key of DATE_COLUMNS) {
      const value = out[key];
      if (value instanceof Date) out[key] = wallClockAsUtc(value, timeZone);
    }
    if (typeof out.status === "string") out.status = STATUS_WORDS[language][out.status] ?? out.status;
    return out;
  };
  // Loaded on the first export, not at start: exceljs and its zip/csv stack are ~170 modules
  // (~2 MB of source) that the site, which never exports, would otherwise keep in memory.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(language === "it" ? "Prenotazioni" : "Reservations", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = RESERVATION_CSV_COLUMNS.map((key) => ({
    header: header(key, language, timeZone),
    key,
    width: XLSX_WIDTHS[key],
    style: DATE_COLUMNS.includes(key) ? { numFmt: language === "it" ? "dd/mm/yyyy hh:mm" : "yyyy-mm-dd hh:mm" } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  if (!first.done) sheet.addRow(local(first.value)).commit();
  for await (const row of rows) sheet.addRow(local(row)).commit();
  sheet.commit();
  await workbook.commit();
}
