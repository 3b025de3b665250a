import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { hashPassword } from "./passwords.ts";

/**
 * AzioneLab's demo data. Idempotent: every row has a fixed id or slug and is created
 * only when missing, so a second run changes nothing and never overwrites admin edits.
 */

const DAY = 24 * 60 * 60 * 1000;

/** An evening start (20:30 in Rome in winter) `days` from today. */
function evening(days: number, hourUtc = 19, minute = 30): Date {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hourUtc, minute, 0, 0);
  return d;
}

const id = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;

// Every text a visitor reads exists in Italian (the unsuffixed column) and English (`…En`):
// docs/adr/0016-translated-fields-as-paired-columns.md.
export const demoShows = [
  {
    id: id(101),
    slug: "le-serve",
    title: "Le serve",
    titleEn: "The Maids",
    summary: "Le due serve di Jean Genet giocano a padrona e serva finché il gioco diventa mortale.",
    summaryEn: "Jean Genet's maids play mistress and servant until the game turns deadly.",
    description:
      "Due sorelle, Claire e Solange, provano ogni sera l'omicidio della padrona che servono. " +
      "AzioneLab mette in scena il rito di Genet in una stanza bianca e spoglia, con il pubblico su tre lati.",
    descriptionEn:
      "Two sisters, Claire and Solange, rehearse every night the murder of the mistress they serve. " +
      "AzioneLab stages Genet's ritual in a bare white room, with the audience on three sides.",
    credits: "di Jean Genet · regia di Chiara Valli · con Marta Lodi, Irene Sala, Nadia Ferri",
    creditsEn: "by Jean Genet · directed by Chiara Valli · with Marta Lodi, Irene Sala, Nadia Ferri",
    ageGuidance: "Dai 14 anni",
    ageGuidanceEn: "Ages 14 and up",
    runningTimeMinutes: 85,
    language: "it",
    isPublished: true,
  },
  {
    id: id(102),
    slug: "aspettando-godot",
    title: "Aspettando Godot",
    titleEn: "Waiting for Godot",
    summary: "I due vagabondi di Beckett aspettano accanto a un albero qualcuno che non arriva mai.",
    summaryEn: "Beckett's two tramps wait by a tree for someone who never comes.",
    description:
      "Vladimiro ed Estragone aspettano. Passano Pozzo e Lucky. Un ragazzo porta notizie. " +
      "Una lettura clownesca del classico di Beckett, con l'ensemble di AzioneLab.",
    descriptionEn:
      "Vladimir and Estragon wait. Pozzo and Lucky pass by. A boy brings news. " + "A clown-tinged reading of Beckett's classic by AzioneLab's ensemble.",
    credits: "di Samuel Beckett · regia di Paolo Greco",
    creditsEn: "by Samuel Beckett · directed by Paolo Greco",
    ageGuidance: "Per tutti",
    ageGuidanceEn: "For everyone",
    runningTimeMinutes: 120,
    language: "it",
    isPublished: true,
  },
  {
    id: id(103),
    slug: "sei-personaggi",
    title: "Sei personaggi in cerca d'autore",
    titleEn: "Six Characters in Search of an Author",
    summary: "I sei personaggi di Pirandello interrompono una prova e pretendono che la loro storia vada in scena.",
    summaryEn: "Pirandello's six characters interrupt a rehearsal, demanding their story be staged.",
    description:
      "Una compagnia sta provando quando arrivano sei sconosciuti: personaggi abbandonati dal loro autore. " + "Con il laboratorio giovani di AzioneLab.",
    descriptionEn: "A company rehearses when six strangers arrive: characters abandoned by their author. " + "Performed by AzioneLab's youth workshop.",
    credits: "di Luigi Pirandello · laboratorio giovani AzioneLab",
    creditsEn: "by Luigi Pirandello · AzioneLab youth workshop",
    ageGuidance: "Dai 10 anni",
    ageGuidanceEn: "Ages 10 and up",
    runningTimeMinutes: 100,
    language: "it",
    isPublished: true,
  },
  {
    id: id(104),
    slug: "laboratorio-2027",
    title: "Laboratorio 2027 (in preparazione)",
    titleEn: "Workshop 2027 (in preparation)",
    summary: "La prossima produzione del laboratorio, non ancora annunciata.",
    summaryEn: "The next workshop production, not yet announced.",
    description: "Lavori in corso.",
    descriptionEn: "Work in progress.",
    isPublished: false,
  },
];

export const demoVenues = [
  {
    id: id(201),
    slug: "teatro-dellorologio",
    name: "Teatro dell'Orologio",
    nameEn: "Teatro dell'Orologio",
    address: "Via dei Filippini 17/A",
    city: "Roma",
    notes: "Ingresso dal cortile.",
    notesEn: "Entrance from the courtyard.",
    accessInfo: "Accesso senza gradini alla platea. Bagno accessibile al piano terra.",
    accessInfoEn: "Step-free access to the stalls. Accessible toilet on the ground floor.",
    transport: "Bus 40 e 64, fermata Chiesa Nuova.",
    transportEn: "Buses 40 and 64, Chiesa Nuova stop.",
  },
  {
    id: id(202),
    slug: "spazio-azionelab",
    name: "Spazio AzioneLab",
    nameEn: "Spazio AzioneLab",
    address: "Via del Pigneto 42",
    city: "Roma",
    notes: "Sala studio, posti non numerati.",
    notesEn: "Studio theatre, unnumbered seating.",
    accessInfo: "Un gradino all'ingresso; rampa su richiesta.",
    accessInfoEn: "One step at the entrance; a ramp on request.",
    transport: "Metro C, fermata Pigneto.",
    transportEn: "Metro line C, Pigneto station.",
  },
];

const demoPerformances = [
  { id: id(301), showId: id(101), venueId: id(201), startsAt: evening(-10), roomCapacity: 120 },
  { id: id(302), showId: id(101), venueId: id(201), startsAt: evening(5), roomCapacity: 120, manuallyOccupiedSeats: 10 },
  {
    id: id(303),
    showId: id(101),
    venueId: id(201),
    startsAt: evening(12),
    roomCapacity: 120,
    additionalSeats: 8,
    surtitles: "en",
    note: "Replica relaxed: luci di sala soffuse, si può entrare e uscire.",
    noteEn: "Relaxed performance: house lights dimmed, not dark; come and go as you need.",
  },
  { id: id(304), showId: id(102), venueId: id(202), startsAt: evening(7), roomCapacity: 40 },
  { id: id(305), showId: id(102), venueId: id(202), startsAt: evening(8), roomCapacity: 40, isBookingEnabled: false },
  { id: id(306), showId: id(103), venueId: id(202), startsAt: evening(20, 16, 0), roomCapacity: 6 },
  { id: id(307), showId: id(103), venueId: id(201), startsAt: evening(-30), roomCapacity: 80 },
];

const demoReservations = [
  { id: id(401), performanceId: id(302), status: "confirmed", name: "Giulia Rossi", email: "giulia.rossi@example.org", partySize: 2 },
  { id: id(402), performanceId: id(302), status: "confirmed", name: "Marco Bianchi", email: "marco.bianchi@example.org", partySize: 4 },
  { id: id(403), performanceId: id(302), status: "pending", name: "Sara Verdi", email: "sara.verdi@example.org", partySize: 3 },
  { id: id(404), performanceId: id(302), status: "cancelled", name: "Luca Neri", email: "luca.neri@example.org", partySize: 2 },
  { id: id(405), performanceId: id(304), status: "expired", name: "Anna Gallo", email: "anna.gallo@example.org", partySize: 1 },
  { id: id(406), performanceId: id(306), status: "confirmed", name: "Paolo Conti", email: "paolo.conti@example.org", partySize: 6 },
  { id: id(407), performanceId: id(301), status: "confirmed", name: "Elena Ricci", email: "elena.ricci@example.org", partySize: 2 },
] as const;

/**
 * The privacy notice every form that collects personal data links to (slug "privacy",
 * the SiteSetting privacy.page; edited in the back-office like any company page). Written for an Italian company under
 * the GDPR; the periods match the code: RETENTION_DAYS (90) after the performance,
 * BACKUP_KEEP_DAYS (14) for backups, rate-limit counters within the hour.
 */
const privacyIt = `**Titolare del trattamento**: AzioneLab APS, Via del Pigneto 42, 00176 Roma (RM), email **privacy@azionelab.example**.

### Quali dati e perché
Quando prenoti o ti iscrivi alla lista d'attesa trattiamo nome, email, telefono (facoltativo), numero di persone e le note che scegli di scriverci, per:
- gestire la prenotazione o l'iscrizione: inviarti il link di conferma, il biglietto, i promemoria e gli avvisi su cambi o annullamenti; riconoscerti all'ingresso;
- proteggere il servizio dagli abusi (limiti al numero di richieste).

**Base giuridica**: l'esecuzione della prenotazione che ci chiedi (art. 6.1.b GDPR); per la protezione dagli abusi il nostro legittimo interesse (art. 6.1.f). Se nelle note ci indichi esigenze di accessibilità, le usiamo solo per accoglierti (art. 9.2.a): scrivi solo ciò che serve.

### Per quanto tempo
- Prenotazioni e lista d'attesa: **90 giorni dopo lo spettacolo** nome, email, telefono e note vengono resi anonimi; restano solo i numeri (posti, presenze) per le statistiche. Le email che ti abbiamo inviato vengono cancellate con loro.
- Contatori contro gli abusi: l'email vi compare solo come impronta cifrata e si cancellano entro un'ora.
- Copie di sicurezza: al massimo **14 giorni**.

### Chi vede i dati
Solo il personale della compagnia (la cassa e chi controlla i biglietti all'ingresso vede nome e numero di persone) e i fornitori che ospitano il sito e spediscono le email, nominati responsabili del trattamento (art. 28), nell'Unione europea. Non vendiamo né cediamo i dati; nessuna profilazione o pubblicità.

### Cookie e servizi esterni
Solo cookie tecnici: la lingua scelta e, per il personale, la sessione di accesso. Le pagine non caricano nulla da altri siti (niente font, statistiche o social esterni).

### I tuoi diritti
Puoi chiederci in ogni momento l'accesso ai tuoi dati e una copia (art. 15 e 20), la rettifica (art. 16), la cancellazione (art. 17), la limitazione (art. 18) o opporti al trattamento (art. 21): scrivi a **privacy@azionelab.example** dall'indirizzo usato per prenotare. Rispondiamo entro un mese.

Se ritieni che il trattamento violi il GDPR puoi proporre reclamo al **Garante per la protezione dei dati personali** (www.garanteprivacy.it, Piazza Venezia 11, 00187 Roma).`;

const privacyEn = `**Data controller**: AzioneLab APS, Via del Pigneto 42, 00176 Rome, Italy, email **privacy@azionelab.example**.

### What we collect and why
When you book or join a waiting list we process your name, email, phone (optional), party size and any notes you choose to write, in order to:
- handle the booking or waiting-list place: send the confirmation link, the ticket, reminders and notices of changes or cancellations; recognise you at the door;
- protect the service from abuse (limits on the number of requests).

**Legal basis**: performing the booking you ask for (Art. 6(1)(b) GDPR); for abuse protection, our legitimate interest (Art. 6(1)(f)). If your notes mention accessibility needs, we use them only to welcome you (Art. 9(2)(a)): write only what is needed.

### How long we keep it
- Bookings and waiting lists: **90 days after the performance** the name, email, phone and notes are anonymised; only the numbers (seats, attendance) stay, for statistics. The emails we sent you are deleted with them.
- Abuse counters: they hold your email only as a one-way fingerprint and are deleted within an hour.
- Backups: at most **14 days**.

### Who sees it
Only the company's staff (the box office and the door staff see your name and party size) and the providers that host the site and deliver the emails, appointed as processors (Art. 28), within the European Union. We never sell or pass on your data; no profiling, no advertising.

### Cookies and outside services
Technical cookies only: your language and, for staff, their sign-in session. Our pages load nothing from other sites (no outside fonts, analytics or social widgets).

### Your rights
You can ask us at any time for access to your data and a copy (Art. 15 and 20), rectification (Art. 16), erasure (Art. 17), restriction (Art. 18), or object to the processing (Art. 21): write to **privacy@azionelab.example** from the address you booked with. We answer within one month.

If you believe the processing breaks the GDPR you can lodge a complaint with the Italian supervisory authority, the **Garante per la protezione dei dati personali** (www.garanteprivacy.it, Piazza Venezia 11, 00187 Rome).`;

export const demoPages = [
  {
    slug: "chi-siamo",
    locale: "it",
    title: "Chi siamo",
    menuOrder: 1,
    body:
      "**AzioneLab** è una compagnia teatrale indipendente di Roma, nata nel 2009 da un laboratorio di attori.\n\n" +
      "Lavoriamo sul repertorio del Novecento (Genet, Beckett, Pirandello) con spettacoli essenziali, " +
      "vicini al pubblico, e con laboratori aperti a tutte le età.",
  },
  {
    slug: "chi-siamo",
    locale: "en",
    title: "About us",
    menuOrder: 1,
    body:
      "**AzioneLab** is an independent theatre company from Rome, founded in 2009 out of an actors' workshop.\n\n" +
      "We stage twentieth-century repertoire (Genet, Beckett, Pirandello) in spare productions close to the audience, " +
      "and run workshops open to every age.",
  },
  {
    slug: "contatti",
    locale: "it",
    title: "Contatti",
    menuOrder: 2,
    body: "Scrivici a **info@azionelab.example** o chiamaci al +39 06 0000 0000 (lun–ven, 10–18).",
  },
  {
    slug: "contatti",
    locale: "en",
    title: "Contacts",
    menuOrder: 2,
    body: "Write to **info@azionelab.example** or call +39 06 0000 0000 (Mon–Fri, 10am–6pm).",
  },
  {
    slug: "come-arrivare",
    locale: "it",
    title: "Come arrivare",
    menuOrder: 3,
    body:
      "### Teatro dell'Orologio\nVia dei Filippini 17/A: bus 40, 64 (fermata Chiesa Nuova).\n\n" +
      "### Spazio AzioneLab\nVia del Pigneto 42: metro C, fermata Pigneto.",
  },
  {
    slug: "come-arrivare",
    locale: "en",
    title: "Getting here",
    menuOrder: 3,
    body:
      "### Teatro dell'Orologio\nVia dei Filippini 17/A: bus 40, 64 (stop Chiesa Nuova).\n\n" +
      "### Spazio AzioneLab\nVia del Pigneto 42: metro line C, Pigneto station.",
  },
];

const privacyPages = [
  { slug: "privacy", locale: "it", title: "Privacy", menuOrder: 9, body: privacyIt },
  { slug: "privacy", locale: "en", title: "Privacy", menuOrder: 9, body: privacyEn },
];

export const demoSettings: Record<string, string> = {
  "company.name": "AzioneLab",
  "company.tagline": "Teatro indipendente a Roma dal 2009",
  "company.tagline.en": "Independent theatre in Rome since 2009",
  "company.description": "AzioneLab è una compagnia teatrale indipendente di Roma: repertorio del Novecento, spettacoli essenziali, laboratori aperti.",
  "company.description.en": "AzioneLab is an independent theatre company from Rome: twentieth-century repertoire, spare productions, open workshops.",
  "theme.accent": "#b3261e",
  // What every email's shared layout shows (packages/api/src/mail/layout.ts).
  "company.logo": "/email-logo.png",
  "company.email": "info@azionelab.example",
  "company.phone": "+39 06 0000 0000",
  "email.footer": "AzioneLab · Teatro indipendente a Roma · Via del Pigneto 42, Roma",
  "email.footer.en": "AzioneLab · Independent theatre in Rome · Via del Pigneto 42, Rome",
  "privacy.page": "privacy",
};

export async function seed(prisma: PrismaClient): Promise<void> {
  for (const [key, value] of Object.entries(demoSettings)) {
    await prisma.siteSetting.upsert({ where: { key }, create: { key, value }, update: {} });
  }
  for (const show of demoShows) {
    await prisma.show.upsert({
      where: { slug: show.slug },
      create: { ...show, posterImage: `/posters/${show.slug}.svg` },
      update: {},
    });
  }
  for (const venue of demoVenues) {
    await prisma.venue.upsert({ where: { slug: venue.slug }, create: venue, update: {} });
  }
  for (const performance of demoPerformances) {
    await prisma.performance.upsert({ where: { id: performance.id }, create: performance, update: {} });
  }
  for (const r of demoReservations) {
    if (await prisma.reservation.findUnique({ where: { id: r.id }, select: { id: true } })) continue;
    const confirmedAt = r.status === "confirmed" ? new Date() : null;
    await prisma.reservation.create({
      data: { ...r, confirmedAt, qrCodeGeneratedAt: confirmedAt, cancelledAt: r.status === "cancelled" ? new Date() : null },
    });
    if (r.status === "pending") {
      // A pending booking waits on its confirmation link; without a live token the expiry
      // sweep would expire it at once. The raw token is thrown away: nobody can confirm it.
      await prisma.reservationToken.create({
        data: {
          reservationId: r.id,
          purpose: "confirmation",
          tokenHash: createHash("sha256").update(randomBytes(32)).digest("hex"),
          expiresAt: new Date(Date.now() + DAY),
        },
      });
    }
  }
  for (const page of [...demoPages, ...privacyPages]) {
    await prisma.page.upsert({ where: { locale_slug: { locale: page.locale, slug: page.slug } }, create: page, update: {} });
  }
}

export interface DemoCredentials {
  email: string;
  password: string;
  role: "admin" | "staff";
}

/**
 * On a database with no users at all, creates a demo admin and a demo staff user with
 * random passwords and returns them so the caller can print them once. Never again after.
 */
export async function ensureDemoUsers(prisma: PrismaClient): Promise<DemoCredentials[]> {
  if ((await prisma.user.count()) > 0) return [];
  const credentials: DemoCredentials[] = [
    { email: "admin@azionelab.example", password: randomBytes(12).toString("base64url"), role: "admin" },
    { email: "staff@azionelab.example", password: randomBytes(12).toString("base64url"), role: "staff" },
  ];
  // Created, never updated here: changing a user's password or role is packages/api's
  // saveUserAccount (npm run create-user), which ends the user's sessions.
  for (const c of credentials) {
    await prisma.user.create({
      data: { email: c.email, role: c.role, name: c.role === "admin" ? "Demo Admin" : "Demo Staff", passwordHash: await hashPassword(c.password) },
    });
  }
  return credentials;
}
