import { seed } from "@sipario/db";
import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { factories } from "@sipario/db/testing";
import { confirmReservation, createReservation } from "../booking/booking.service.ts";
import { sendDueReminders, reminderOpensAt } from "../reminders/reminders.service.ts";
import { cancelPerformance, createBoxOfficeReservation, movePerformance } from "../season/season.service.ts";
import { testCaller } from "../testing/index.ts";
import { cancelTicket } from "../tickets/tickets.service.ts";
import { createMailTransport } from "./transport.ts";
import type { AppConfig } from "../config.ts";
import { deliverPendingEmails, flushImmediateDeliveries } from "./outbox.service.ts";
import { startTestSmtp, testConfig, type TestSmtp } from "../testing/index.ts";

/**
 * Every email goes out in the shared layout: greeting by first name, the company's logo
 * and accent, the venue's notes and a map link, a footer with contacts and the privacy
 * page; HTML and text, in the visitor's language. Read back from a real SMTP server.
 */

let db: TestDatabase;
let smtp: TestSmtp;
let config: AppConfig;
const ORIGIN = "https://biglietti.example.org";
const LE_SERVE_NEXT = "00000000-0000-4000-8000-000000000302";

beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db.prisma);
  smtp = await startTestSmtp();
  config = testConfig({ RATE_LIMITS: "false", ORIGIN, SMTP_URL: smtp.url });
});
afterAll(async () => {
  await smtp?.close();
  await db?.drop();
});

async function mailTo(to: string, subject: RegExp): Promise<ParsedMail> {
  await flushImmediateDeliveries();
  return smtp.waitForMessage((m) => [m.to].flat().some((a) => a?.text.includes(to)) && subject.test(m.subject ?? ""), 20_000);
}

const cases = [
  {
    locale: "it" as const,
    greeting: "Gentile Giulia,",
    notes: "Ingresso dal cortile.",
    access: "Accesso senza gradini",
    title: "Le serve",
    privacy: "Informativa sulla privacy",
    footer: "Teatro indipendente a Roma",
    confirm: /^Conferma/,
    ticket: /^Il tuo biglietto/,
  },
  {
    locale: "en" as const,
    greeting: "Dear Giulia,",
    notes: "Entrance from the courtyard.",
    access: "Step-free access",
    title: "The Maids",
    privacy: "Privacy notice",
    footer: "Independent theatre in Rome",
    confirm: /^Confirm/,
    ticket: /^Your ticket/,
  },
];

describe("the shared email layout", () => {
  for (const c of cases) {
    it(`confirmation and ticket emails look like the theatre (${c.locale})`, async () => {
      const email = `giulia.${c.locale}@example.org`;
      const booked = await createReservation(db.prisma, config, { performanceId: LE_SERVE_NEXT, name: "Giulia Rossi", email, partySize: 2, locale: c.locale });
      const confirmation = await mailTo(email, c.confirm);
      await confirmReservation(db.prisma, config, booked.confirmationToken);
      const ticket = await mailTo(email, c.ticket);
      for (const mail of [confirmation, ticket]) {
        const html = String(mail.html);
        const text = mail.text ?? "";
        for (const part of [html, text]) {
          expect(part).toContain(c.greeting);
          expect(part).toContain(c.title);
          expect(part).toContain(c.notes);
          expect(part).toContain(c.footer);
          expect(part).toContain("info@azionelab.example");
          expect(part).toContain(`${ORIGIN}/privacy`);
          expect(part).toContain("https://www.openstreetmap.org/search?query=");
        }
        expect(html).toContain(c.access);
        expect(html).toContain(`<html lang="${c.locale}"`);
        expect(html).toContain(`src="${ORIGIN}/email-logo.png"`);
        expect(html).toContain(c.privacy);
        // Buttons and the top rule in the site's accent, not a colour of their own.
        expect(html).toContain("#b3261e");
        expect(html).not.toContain("#7a1f2b");
      }
    });
  }
});

/** The other emails, one of each kind, in both languages: the same layout on every one. */
const others = [
  {
    locale: "it" as const,
    greeting: "Gentile Giulia,",
    footer: "Teatro indipendente a Roma",
    subjects: {
      selfCancel: /^Prenotazione annullata/,
      boxOffice: /^Il tuo biglietto/,
      moved: /^Cambio di data o di luogo/,
      cancelled: /^Spettacolo annullato/,
      reminder: /^Domani/,
      waitlist: /^Conferma l'iscrizione alla lista d'attesa/,
    },
  },
  {
    locale: "en" as const,
    greeting: "Dear Giulia,",
    footer: "Independent theatre in Rome",
    subjects: {
      selfCancel: /^Booking cancelled/,
      boxOffice: /^Your ticket/,
      moved: /^New date or place/,
      cancelled: /^Performance cancelled/,
      reminder: /^Tomorrow/,
      waitlist: /^Confirm your place on the waiting list/,
    },
  },
];

/** What the outbox worker does on its next poll (jobs.service.ts passes the same options). */
const deliverByWorker = () => deliverPendingEmails(db.prisma, createMailTransport(config), { origin: config.ORIGIN, from: config.MAIL_FROM });

describe("every other email in the same layout", () => {
  for (const c of others) {
    it(`self-cancel, box office, moved, cancelled, reminder and waiting list (${c.locale})`, async () => {
      const seeded = await db.prisma.performance.findUniqueOrThrow({ where: { id: LE_SERVE_NEXT } });
      const place = { showId: seeded.showId, venueId: seeded.venueId };
      const inAWeek = new Date(Date.now() + 7 * 86_400_000);
      const mails: ParsedMail[] = [];
      const to = (kind: string) => `giulia.${kind}.${c.locale}@example.org`;

      // Self-cancel: book, confirm, give the seats back from the ticket.
      const own = await factories.performance(db.prisma, { ...place, startsAt: inAWeek, roomCapacity: 10 });
      const booked = await createReservation(db.prisma, config, {
        performanceId: own.id,
        name: "Giulia Rossi",
        email: to("self"),
        partySize: 1,
        locale: c.locale,
      });
      const confirmed = await confirmReservation(db.prisma, config, booked.confirmationToken);
      await cancelTicket(db.prisma, confirmed.ticketToken, config);
      mails.push(await mailTo(to("self"), c.subjects.selfCancel));

      // A box-office booking with an email gets its ticket by email.
      const desk = await factories.performance(db.prisma, { ...place, startsAt: inAWeek, roomCapacity: 10 });
      await createBoxOfficeReservation(db.prisma, config, { performanceId: desk.id, name: "Giulia Rossi", email: to("desk"), partySize: 2, locale: c.locale });
      mails.push(await mailTo(to("desk"), c.subjects.boxOffice));

      // Moved, then cancelled: every holder told, through the outbox worker.
      const show = await factories.performance(db.prisma, { ...place, startsAt: inAWeek, roomCapacity: 10 });
      const holder = await createReservation(db.prisma, config, {
        performanceId: show.id,
        name: "Giulia Rossi",
        email: to("holder"),
        partySize: 1,
        locale: c.locale,
      });
      await confirmReservation(db.prisma, config, holder.confirmationToken);
      await movePerformance(db.prisma, config, show.id, { startsAt: new Date(inAWeek.getTime() + 86_400_000) });
      await deliverByWorker();
      mails.push(await mailTo(to("holder"), c.subjects.moved));
      await cancelPerformance(db.prisma, config, show.id);
      await deliverByWorker();
      mails.push(await mailTo(to("holder"), c.subjects.cancelled));

      // The reminder, the day before.
      const tomorrow = await factories.performance(db.prisma, { ...place, startsAt: inAWeek, roomCapacity: 10 });
      await factories.reservation(db.prisma, {
        performanceId: tomorrow.id,
        status: "confirmed",
        confirmedAt: new Date(Date.now() - 86_400_000),
        name: "Giulia Rossi",
        email: to("reminder"),
        locale: c.locale,
        partySize: 2,
      });
      const venue = await db.prisma.venue.findUniqueOrThrow({ where: { id: seeded.venueId } });
      await sendDueReminders(db.prisma, config, new Date(reminderOpensAt(inAWeek, venue.timeZone).getTime() + 60_000));
      await deliverByWorker();
      mails.push(await mailTo(to("reminder"), c.subjects.reminder));

      // Joining the waiting list of a sold-out performance.
      const full = await factories.performance(db.prisma, { ...place, startsAt: inAWeek, roomCapacity: 1 });
      await factories.reservation(db.prisma, { performanceId: full.id, status: "confirmed", partySize: 1, confirmedAt: new Date() });
      await testCaller(db.prisma, { config }).waitlist.join({
        performanceId: full.id,
        name: "Giulia Rossi",
        email: to("waiting"),
        partySize: 1,
        locale: c.locale,
      });
      mails.push(await mailTo(to("waiting"), c.subjects.waitlist));

      for (const mail of mails) {
        const html = String(mail.html);
        const text = mail.text ?? "";
        for (const part of [html, text]) {
          expect(part, mail.subject).toContain(c.greeting);
          expect(part, mail.subject).toContain(c.footer);
          expect(part, mail.subject).toContain(`${ORIGIN}/privacy`);
        }
        expect(html, mail.subject).toContain(`<html lang="${c.locale}"`);
        expect(html, mail.subject).toContain(`src="${ORIGIN}/email-logo.png"`);
        expect(html, mail.subject).toContain("#b3261e");
      }
    });
  }
});
