import type { PrismaClient } from "@sipario/db";
import { performancePlaceSelect, performanceFacts } from "../booking/emails.ts";
import { confirmationExpiry } from "../booking/booking.service.ts";
import { withTransaction } from "../lib/transaction.ts";
import type { AppConfig } from "../config.ts";
import { contentLocale } from "../i18n/translated.ts";
import { getLogger } from "../logger.ts";
import { deliverSoon, enqueueEmail, outboxMessage } from "../mail/outbox.service.ts";
import { escapeHtml, formatDateTime, linkParagraph, mailLocale, page, smallPrint } from "../mail/templates.ts";
import { consumeRateLimits, RATE_LIMITS } from "../rate-limit/rate-limit.service.ts";
import { confirmUrl, ticketUrl } from "../lib/ticket-assets.ts";
import { ticketsValidUntil } from "../lib/ticket-time.ts";
import { generateToken, hashToken } from "../lib/tokens.ts";
import type { LostTicketsInput } from "./lost-tickets.schema.ts";

const strings = {
  it: {
    subject: "I tuoi biglietti",
    intro: "Ecco le prenotazioni a venire fatte con questo indirizzo email.",
    ticket: "Apri il biglietto",
    confirm: "Conferma la prenotazione",
    pending: "In attesa di conferma: i posti non sono garantiti finché non confermi.",
    seats: (n: number) => (n === 1 ? "1 posto" : `${n} posti`),
    code: (code: string) => `Codice prenotazione: ${code}`,
    ignore: "Se non hai chiesto tu questa email, puoi ignorarla: i link valgono solo per chi la riceve.",
  },
  en: {
    subject: "Your tickets",
    intro: "Here are the upcoming bookings made with this email address.",
    ticket: "Open the ticket",
    confirm: "Confirm the booking",
    pending: "Waiting for confirmation: the seats are not guaranteed until you confirm.",
    seats: (n: number) => (n === 1 ? "1 seat" : `${n} seats`),
    code: (code: string) => `Booking code: ${code}`,
    ignore: "If you did not ask for this email you can ignore it: the links work only for whoever receives it.",
  },
} as const;

/**
 * "Lost your ticket?": one email to `email` listing every upcoming confirmed ticket and
 * pending confirmation booked with it, each with a fresh link (a new token beside the old
 * ones, so a request made by somebody else never breaks a ticket already on a phone). The
 * answer is the same whether the address has bookings or not, and carries no token: raw
 * tokens exist only in the email. Rate limited per address and per email.
 * Throws DomainError rate_limited.
 */
export async function sendLostTickets(
  prisma: PrismaClient,
  config: AppConfig,
  input: LostTicketsInput & { clientAddress: string },
  now = new Date(),
): Promise<{ status: "sent" }> {
  await consumeRateLimits(prisma, config.RATE_LIMITS, [
    { key: `lost:addr:${input.clientAddress}`, rule: RATE_LIMITS.lostTicketsPerAddress },
    // Keyed on a hash: the bucket table never holds the address itself.
    { key: `lost:email:${hashToken(input.email).slice(0, 32)}`, rule: RATE_LIMITS.lostTicketsPerEmail },
  ]);
  const reservations = await prisma.reservation.findMany({
    where: { email: input.email, status: { in: ["confirmed", "pending"] }, performance: { startsAt: { gt: now }, status: "scheduled" } },
    orderBy: { performance: { startsAt: "asc" } },
    take: 50,
    select: { id: true, bookingCode: true, status: true, name: true, partySize: true, locale: true, performance: { select: performancePlaceSelect } },
  });
  if (reservations.length === 0) return { status: "sent" };

  const locale = mailLocale(input.locale ?? reservations[0]!.locale);
  const s = strings[locale];
  const items = reservations.map((r) => {
    const token = generateToken();
    const confirmed = r.status === "confirmed";
    const expiresAt = confirmed ? ticketsValidUntil(r.performance, config) : confirmationExpiry(config, r.performance.startsAt, now);
    const facts = performanceFacts(r.performance, config, contentLocale(locale));
    return {
      reservationId: r.id,
      purpose: confirmed ? ("check_in" as const) : ("confirmation" as const),
      token,
      expiresAt,
      url: confirmed ? ticketUrl(config.ORIGIN, token) : confirmUrl(config.ORIGIN, token),
      label: confirmed ? s.ticket : s.confirm,
      heading: facts.showTitle,
      lines: [
        formatDateTime(facts.startsAt, locale, facts.timeZone),
        [facts.venueName, facts.venueAddress, facts.venueCity].filter(Boolean).join(", "),
        s.seats(r.partySize),
        s.code(r.bookingCode),
        ...(confirmed ? [] : [s.pending]),
      ],
    };
  });
  const text = [s.intro, "", ...items.flatMap((i) => [i.heading, ...i.lines, linkParagraph(i.url, i.label).text, ""]), s.ignore].join("\n");
  const html = page(
    `<p>${escapeHtml(s.intro)}</p>` +
      items
        .map(
          (i) =>
            `<h2 style="font-size:1.1rem;margin:1.2rem 0 0.3rem">${escapeHtml(i.heading)}</h2>` +
            `<p style="margin:0">${i.lines.map(escapeHtml).join("<br>")}</p>` +
            linkParagraph(i.url, i.label).html,
        )
        .join("") +
      smallPrint(s.ignore),
  );
  const outboxId = await withTransaction(prisma, async (tx) => {
    await tx.reservationToken.createMany({
      data: items.map((i) => ({ reservationId: i.reservationId, purpose: i.purpose, tokenHash: hashToken(i.token), expiresAt: i.expiresAt })),
    });
    // Not tied to one reservation: the layout's greeting and language travel in the payload.
    return enqueueEmail(tx, outboxMessage("lost_tickets", input.email, { subject: s.subject, text, html }, null, { locale, name: reservations[0]!.name }));
  });
  getLogger().info({ bookings: items.length }, "lost tickets emailed");
  deliverSoon(prisma, config, outboxId);
  return { status: "sent" };
}
