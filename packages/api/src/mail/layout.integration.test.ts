import { seed } from "@sipario/db";
import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmReservation, createReservation } from "../booking/booking.service.ts";
import type { AppConfig } from "../config.ts";
import { flushImmediateDeliveries } from "./outbox.service.ts";
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
