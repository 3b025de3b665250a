import { createTestDatabase, factories, type TestDatabase } from "@sipario/db/testing";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import jsQRImport from "jsqr";
import type { ParsedMail } from "mailparser";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppConfig } from "../config.ts";
import { flushImmediateDeliveries } from "../mail/outbox.service.ts";
import { QR_CID } from "../mail/templates.ts";
import type { AppRouter } from "../root.ts";
import { startTrpcHttpServer } from "../testing/http-server.ts";
import { testCaller, testConfig } from "../testing/index.ts";
import { linkFrom, startTestSmtp, type TestSmtp } from "../testing/smtp.ts";

// jsqr is CommonJS with an ESM-style default in its types: take whichever shape loads.
const jsQR = ((jsQRImport as unknown as { default?: unknown }).default ?? jsQRImport) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

const ORIGIN = "https://teatro.example.org";
let db: TestDatabase;
let smtp: TestSmtp;
let config: AppConfig;
let http: Awaited<ReturnType<typeof startTrpcHttpServer>>;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startTestSmtp();
  config = testConfig({ ORIGIN, SMTP_URL: smtp.url, RATE_LIMITS: "false" });
  http = await startTrpcHttpServer(db.prisma, config);
});
afterAll(async () => {
  await flushImmediateDeliveries();
  await http?.close();
  await smtp?.close();
  await db?.drop();
});

function decodeQr(dataUrlOrPng: string | Buffer): string | null {
  const buf = typeof dataUrlOrPng === "string" ? Buffer.from(dataUrlOrPng.replace(/^data:image\/png;base64,/, ""), "base64") : dataUrlOrPng;
  const png = PNG.sync.read(buf);
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

async function nextMail(count: number): Promise<ParsedMail> {
  const all = await smtp.waitFor(count);
  return all[count - 1]!;
}

function assertTicketEmail(mail: ParsedMail, ticketUrl: string) {
  const qr = mail.attachments.find((a) => a.cid === QR_CID);
  expect(qr, "inline QR image").toBeDefined();
  expect(qr!.contentType).toBe("image/png");
  expect(mail.html).toContain(`cid:${QR_CID}`);
  expect(decodeQr(qr!.content)).toBe(ticketUrl);
  const ics = mail.attachments.find((a) => a.filename?.endsWith(".ics"));
  expect(ics, ".ics attachment").toBeDefined();
  const icsText = ics!.content.toString("utf8");
  expect(icsText).toContain("BEGIN:VEVENT");
  expect(mail.text).toContain(ticketUrl);
  expect(mail.text).toContain(`${ticketUrl}/cancel`);
}

async function scenario(
  label: string,
  api: {
    create: (input: {
      performanceId: string;
      name: string;
      email: string;
      partySize: number;
      locale?: "it" | "en";
    }) => Promise<{ reservationId: string; status: string }>;
    confirm: (token: string) => Promise<{ reservationId: string; status: string; partySize: number; ticketUrl: string }>;
    ticket: (token: string) => Promise<{ qr: { svg: string; pngDataUrl: string }; status: string } & Record<string, unknown>>;
  },
) {
  const before = smtp.messages.length;
  const venue = await factories.venue(db.prisma, { name: "Teatro Studio", address: "Via dei Volsci 10", city: "Roma", timeZone: "Europe/Rome" });
  const show = await factories.show(db.prisma, { title: `Amleto ${label}` });
  // 19:30 in Rome on 2030-03-15 (UTC+1).
  const performance = await factories.performance(db.prisma, {
    showId: show.id,
    venueId: venue.id,
    startsAt: new Date("2030-03-15T18:30:00Z"),
    roomCapacity: 10,
  });
  const email = `maria.${label}@example.org`;
  const created = await api.create({ performanceId: performance.id, name: "Maria Rossi", email: ` Maria.${label}@Example.org `, partySize: 3, locale: "en" });
  expect(created).toMatchObject({ status: "pending" });

  const confirmation = await nextMail(before + 1);
  expect(confirmation.to && "value" in confirmation.to ? confirmation.to.value[0]!.address : null).toBe(email);
  expect(confirmation.subject).toContain(show.title);
  expect(confirmation.text).toContain("Teatro Studio");
  expect(confirmation.text).toContain("19:30"); // venue time, not UTC
  expect(confirmation.text).toContain("Seats: 3");
  expect(confirmation.html).toContain("Teatro Studio");
  const { token } = linkFrom(confirmation, `${ORIGIN}/confirm/`);
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  // Only the hash is stored.
  expect(await db.prisma.reservationToken.count({ where: { tokenHash: token } })).toBe(0);
  expect((await db.prisma.reservation.findUniqueOrThrow({ where: { id: created.reservationId } })).status).toBe("pending");

  const confirmed = await api.confirm(token);
  expect(confirmed).toMatchObject({ reservationId: created.reservationId, status: "confirmed", partySize: 3 });
  expect(confirmed.ticketUrl).toMatch(new RegExp(`^${ORIGIN}/tickets/[A-Za-z0-9_-]{43}$`));
  const ticketMail = await nextMail(before + 2);
  assertTicketEmail(ticketMail, confirmed.ticketUrl);
  const ticketToken = linkFrom(ticketMail, `${ORIGIN}/tickets/`).token;
  expect(confirmed.ticketUrl).toBe(`${ORIGIN}/tickets/${ticketToken}`);

  const ticket = await api.ticket(ticketToken);
  // The contract's reservationId, and the public booking code the pages show.
  const { bookingCode } = await db.prisma.reservation.findUniqueOrThrow({ where: { id: created.reservationId } });
  expect(ticket).toMatchObject({
    reservationId: created.reservationId,
    bookingCode,
    status: "confirmed",
    partySize: 3,
    show: { title: show.title },
    startsAt: "2030-03-15T18:30:00.000Z",
    venue: { name: "Teatro Studio", address: "Via dei Volsci 10", city: "Roma" },
    checkedInAt: null,
  });
  expect(decodeQr(ticket.qr.pngDataUrl)).toBe(confirmed.ticketUrl);
  expect(ticket.qr.svg).toMatch(/^<svg/);
  // The venue's own `notes` (how to find the entrance) are public; the booking's are not.
  const serialized = JSON.stringify({ ...ticket, venue: { ...(ticket.venue as object), notes: undefined, lang: undefined } });
  for (const secret of ["Maria", email, "phone", "notes"]) expect(serialized).not.toContain(secret);

  const row = await db.prisma.reservation.findUniqueOrThrow({ where: { id: created.reservationId } });
  expect(row.status).toBe("confirmed");
  expect(row.confirmedAt).not.toBeNull();
  expect(row.qrCodeGeneratedAt).not.toBeNull();
  expect(row.email).toBe(email);
  expect(row.locale).toBe("en");
  await flushImmediateDeliveries();
  // Delivered messages no longer hold the token-bearing body.
  const outbox = await db.prisma.emailOutbox.findMany({ where: { reservationId: created.reservationId } });
  expect(outbox.map((o) => o.status)).toEqual(["sent", "sent"]);
  for (const o of outbox) expect(JSON.stringify(o.payload)).not.toContain(token);
  return { performance, token, ticketToken };
}

describe("the whole booking flow", () => {
  it("through the tRPC caller: create -> email -> confirm -> ticket email -> ticket with QR", async () => {
    const api = testCaller(db.prisma, { config });
    await scenario("caller", {
      create: (input) => api.booking.create(input),
      confirm: (token) => api.booking.confirm({ token }),
      ticket: (token) => api.tickets.get({ token }),
    });
  });

  it("over HTTP with @trpc/client httpBatchLink, then cancel frees the seats at once", async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: http.url })] });
    const { performance, token, ticketToken } = await scenario("http", {
      create: (input) => client.booking.create.mutate(input),
      confirm: (token) => client.booking.confirm.mutate({ token }),
      ticket: (token) => client.tickets.get.query({ token }),
    });
    expect((await client.catalogue.performance.query({ id: performance.id })).availableSeats).toBe(7);
    const again = await client.booking.confirm.mutate({ token }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TRPCClientError);
    expect((again as TRPCClientError<AppRouter>).data).toMatchObject({ code: "CONFLICT", httpStatus: 409, reason: "token_used" });
    expect(await client.tickets.cancel.mutate({ token: ticketToken })).toMatchObject({ status: "cancelled" });
    expect((await client.catalogue.performance.query({ id: performance.id })).availableSeats).toBe(10);
    const gone = await client.tickets.get.query({ token: ticketToken }).catch((e: TRPCClientError<AppRouter>) => e.data);
    expect(gone).toMatchObject({ httpStatus: 409, reason: "reservation_not_confirmed" });
  });

  it("Italian emails by default, with the date in the venue's time zone", async () => {
    const venue = await factories.venue(db.prisma, { timeZone: "America/New_York" });
    const performance = await factories.performance(db.prisma, { venueId: venue.id, startsAt: new Date("2030-07-01T23:15:00Z") });
    await testCaller(db.prisma, { config }).booking.create({ performanceId: performance.id, name: "Luca", email: "luca@example.org", partySize: 1 });
    // By recipient: the previous test's self-cancel email may still be on its way.
    const mail = await smtp.waitForMessage((m) => m.to !== undefined && JSON.stringify(m.to).includes("luca@example.org"));
    expect(mail.subject).toMatch(/^Conferma la tua prenotazione/);
    expect(mail.text).toContain("19:15"); // 23:15 UTC is 19:15 in New York (EDT)
    expect(mail.text).toMatch(/luglio/);
  });
});
