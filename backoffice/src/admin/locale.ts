/**
 * Every word the back-office shows, in Italian and English (ADR-0015). Each entry holds
 * both languages side by side, so one cannot be added without the other; the locale test
 * (tests/locale.test.ts) walks every resource AdminJS knows and names any key missing here.
 *
 * Where AdminJS looks (adminjs/src/utils/translate-functions.factory.ts):
 * - resource names and navigation groups: `labels.<name>`
 * - property labels: `resources.<Resource>.properties.<path>`
 * - enum values (badges, selects, filters): `resources.<Resource>.labels.<path>.<value>`
 * - actions: `resources.<Resource>.actions.<name>`, then `actions.<name>`
 * - property descriptions and notices are message keys: `resources.<Resource>.messages.<key>`, then `messages.<key>`
 */
import type { LocaleTranslations } from "adminjs";

export const ADMIN_LANGUAGES = ["it", "en"] as const;
export type AdminLanguage = (typeof ADMIN_LANGUAGES)[number];

/** Italian first, English second. */
type Words = readonly [it: string, en: string];

interface ResourceWords {
  /** The resource's name in the menu and page titles. */
  name: Words;
  properties: Record<string, Words>;
  /** Enum values: property -> value -> words. */
  values?: Record<string, Record<string, Words>>;
  actions?: Record<string, Words>;
  /** Help texts (property descriptions), action explanations and notices. */
  messages?: Record<string, Words>;
}

const createdAt: Words = ["Creato il", "Created"];
const updatedAt: Words = ["Modificato il", "Updated"];
const search: Words = ["Cerca", "Search"];
const slug: Words = ["Indirizzo nella pagina (avanzato)", "Web address (advanced)"];
const slugHelp: Words = [
  "Si compila da solo dal titolo: cambialo solo se sai cosa fai, i link già inviati smettono di funzionare.",
  "Filled in from the title: change it only if you must, links already sent stop working.",
];
/** The English column of a translated field (docs/adr/0016). */
const englishHelp: Words = [
  "Il testo in inglese. Se resta vuoto, chi visita il sito in inglese vede quello in italiano.",
  "The English text. Left empty, visitors reading in English see the Italian one.",
];
const yesNo = (yes: Words, no: Words): Record<string, Words> => ({ true: yes, false: no });
const published = yesNo(["pubblicato", "published"], ["bozza", "draft"]);
const undoCheckInDescription: Words = [
  "Annulla un ingresso registrato per errore: il gruppo risulta non arrivato e il biglietto torna valido all'ingresso. Scrivi il motivo: resta nel registro delle modifiche.",
  "Take back a check-in recorded by mistake: the party counts as not arrived and the ticket works again at the door. Say why; it is kept in the audit log.",
];
const undoCheckInDone: Words = ["Ingresso annullato; il biglietto torna valido all'ingresso.", "Check-in undone; the ticket works again at the door."];
const undoReasonField: Words = ["Motivo", "Reason"];
// GDPR requests, offered on a reservation and on a waiting-list entry (resources/privacy.ts).
const privacyActions: Record<string, Words> = {
  erasePerson: ["Cancella i dati di questa persona", "Erase this person's data"],
  personalData: ["Dati di questa persona", "This person's data"],
};
const privacyMessages: Record<string, Words> = {
  erasePersonDescription: [
    "Richiesta di cancellazione (GDPR): ogni prenotazione e iscrizione alla lista d'attesa con questa email, a ogni replica, perde nome, email, telefono e note, " +
      "come fa la conservazione dei dati dopo 90 giorni. Restano i posti, gli stati e gli ingressi. Le iscrizioni ancora attive in lista d'attesa finiscono ora; " +
      "le email e i contatori di accesso per l'indirizzo si cancellano. Non si può annullare.",
    "GDPR erasure request: every reservation and waiting-list entry with this email, at every performance, loses name, email, phone and notes, " +
      "as the retention policy does after 90 days. Seat counts, statuses and check-ins stay. Waiting-list places still active end now; emails and " +
      "sign-in counters for the address are deleted. This cannot be undone.",
  ],
  erasePersonDone: [
    "Fatto: i dati di questa persona sono cancellati da ogni prenotazione e lista d'attesa.",
    "Done: this person's data is erased from every reservation and waiting-list entry.",
  ],
};
const when: Words = ["Quando", "When"];
const whenValues: Record<string, Words> = {
  upcoming: ["da oggi in poi", "from today on"],
  today: ["stasera (oggi)", "tonight (today)"],
  week: ["prossimi 7 giorni", "next 7 days"],
  past: ["passate", "past"],
  all: ["tutte", "all"],
};
const reservationStatus: Record<string, Words> = {
  pending: ["da confermare", "pending"],
  confirmed: ["confermata", "confirmed"],
  cancelled: ["annullata", "cancelled"],
  expired: ["scaduta", "expired"],
};

/** The navigation groups of the menu (shared.ts). */
export const navigationWords: Record<string, Words> = {
  Programme: ["Programmazione", "Programme"],
  Bookings: ["Biglietteria", "Box office"],
  Site: ["Sito", "Site"],
  Administration: ["Amministrazione", "Administration"],
};

export const resourceWords: Record<string, ResourceWords> = {
  Show: {
    name: ["Spettacoli", "Shows"],
    properties: {
      title: ["Titolo", "Title"],
      slug,
      summary: ["In breve", "Summary"],
      description: ["Descrizione", "Description"],
      posterImage: ["Locandina", "Poster"],
      isPublished: ["Pubblicato sul sito", "Published on the site"],
      titleEn: ["Titolo in inglese", "Title in English"],
      summaryEn: ["In breve, in inglese", "Summary in English"],
      descriptionEn: ["Descrizione in inglese", "Description in English"],
      credits: ["Crediti (autore, regia, interpreti)", "Credits (author, director, cast)"],
      creditsEn: ["Crediti in inglese", "Credits in English"],
      ageGuidance: ["Età consigliata", "Age guidance"],
      ageGuidanceEn: ["Età consigliata, in inglese", "Age guidance in English"],
      runningTimeMinutes: ["Durata (minuti)", "Running time (minutes)"],
      language: ["Lingua dello spettacolo", "Language of the performance"],
      createdAt,
      updatedAt,
      search,
    },
    values: { isPublished: published },
    messages: {
      slugHelp,
      englishHelp,
      runningTimeHelp: [
        "Dall'apertura alla chiusura del sipario, in minuti. Decide anche la fine dell'evento nel calendario del pubblico.",
        "Curtain up to curtain down, in minutes. It also sets the end of the event in visitors' calendars.",
      ],
      languageHelp: ["Il codice di due lettere della lingua parlata in scena: it, en…", "The two-letter code of the language spoken on stage: it, en…"],
      posterHelp: [
        "La locandina: carica un'immagine JPEG, PNG o WebP (fino a 12 MB); il sito la mostra ridimensionata.",
        "The poster: upload a JPEG, PNG or WebP image (up to 12 MB); the site shows it resized.",
      ],
    },
  },
  Venue: {
    name: ["Sale", "Venues"],
    properties: {
      id: ["Codice", "Id"],
      name: ["Nome", "Name"],
      slug,
      address: ["Indirizzo", "Address"],
      city: ["Città", "City"],
      timeZone: ["Fuso orario", "Time zone"],
      defaultCapacity: ["Posti in sala di solito", "Usual seats in the room"],
      notes: ["Come entrare", "Finding the entrance"],
      nameEn: ["Nome in inglese", "Name in English"],
      notesEn: ["Come entrare, in inglese", "Finding the entrance, in English"],
      accessInfo: ["Accessibilità", "Access"],
      accessInfoEn: ["Accessibilità, in inglese", "Access, in English"],
      transport: ["Mezzi pubblici", "Public transport"],
      transportEn: ["Mezzi pubblici, in inglese", "Public transport, in English"],
      createdAt,
      updatedAt,
      search,
    },
    messages: {
      slugHelp: ["Si compila da solo dal nome: cambialo solo se sai cosa fai.", "Filled in from the name: change it only if you must."],
      timeZoneHelp: ["Per esempio Europe/Rome. Gli orari delle repliche sono in questo fuso.", "For example Europe/Rome. Performance times are in this zone."],
      defaultCapacityHelp: [
        "I posti proposti quando crei una nuova replica in questa sala. Puoi sempre cambiarli replica per replica.",
        "The seats offered when you create a new performance here. You can still change them per performance.",
      ],
      englishHelp,
      notesHelp: [
        "Lo legge il pubblico sul sito e nelle email: per esempio «Ingresso dal cortile».",
        "Visitors read it on the site and in emails: e.g. “Entrance from the courtyard”.",
      ],
      accessInfoHelp: [
        "Lo legge il pubblico: gradini, ascensore, bagni, posti per sedie a rotelle.",
        "Visitors read it: steps, lift, toilets, wheelchair spaces.",
      ],
      transportHelp: ["Lo legge il pubblico: autobus, metro, fermate.", "Visitors read it: buses, metro, stops."],
    },
  },
  Performance: {
    name: ["Repliche", "Performances"],
    properties: {
      show: ["Spettacolo", "Show"],
      venue: ["Sala", "Venue"],
      startsAt: ["Data e ora", "Date and time"],
      roomCapacity: ["Posti in sala", "Seats in the room"],
      additionalSeats: ["Posti aggiuntivi", "Extra seats"],
      manuallyOccupiedSeats: [
        "Posti occupati a mano (es. prenotazioni al telefono già registrate altrove)",
        "Seats taken by hand (e.g. phone bookings recorded elsewhere)",
      ],
      isBookingEnabled: ["Prenotazioni aperte", "Booking open"],
      availableSeats: ["Posti liberi", "Seats left"],
      confirmedSeats: ["Posti prenotati", "Seats booked"],
      pendingCount: ["Da confermare", "Pending"],
      checkedInCount: ["Entrati", "Checked in"],
      status: ["Stato", "Status"],
      cancelledAt: ["Annullata il", "Cancelled"],
      bookingOpensAt: ["Prenotazioni aperte dal", "Booking opens"],
      bookingClosesAt: ["Prenotazioni chiuse dal", "Booking closes"],
      when,
      surtitles: ["Sovratitoli", "Surtitles"],
      note: ["Nota per il pubblico", "Note for visitors"],
      noteEn: ["Nota per il pubblico, in inglese", "Note for visitors, in English"],
      createdAt,
      updatedAt,
      search,
    },
    values: {
      isBookingEnabled: yesNo(["aperte", "open"], ["chiuse", "closed"]),
      status: { scheduled: ["in programma", "scheduled"], cancelled: ["annullata", "cancelled"] },
      when: whenValues,
    },
    actions: {
      exportCsv: ["Esporta elenco", "Export list"],
      reservations: ["Prenotazioni", "Reservations"],
      cancelPerformance: ["Annulla la replica e avvisa tutti", "Cancel performance and notify everyone"],
      movePerformance: ["Sposta la replica e avvisa il pubblico", "Move performance and tell the audience"],
      addDates: ["Aggiungi altre date", "Add more dates"],
    },
    messages: {
      cancelPerformanceDescription: [
        "Annulla questa replica: ogni prenotazione in attesa o confermata viene annullata e chi l'ha fatta riceve un'email di scuse nella sua lingua, con chi contattare. Il sito la mostra come annullata. Non si può tornare indietro.",
        "Cancel this performance: every pending and confirmed reservation is cancelled and each holder is emailed an apology in their language, with whom to contact. The site shows it as cancelled. This cannot be undone.",
      ],
      cancelPerformancePreview: [
        "Prenotazioni che saranno annullate: {{reservations}}. Persone che riceveranno un'email: {{toTell}}.",
        "Reservations to be cancelled: {{reservations}}. People to be emailed: {{toTell}}.",
      ],
      cancelPerformanceDone_one: ["Replica annullata; 1 persona riceverà un'email.", "Performance cancelled; 1 person will be emailed."],
      cancelPerformanceDone_other: ["Replica annullata; {{count}} persone riceveranno un'email.", "Performance cancelled; {{count}} people will be emailed."],
      cancelPerformanceAlready: [
        "Questa replica era già annullata: nessuno è stato avvisato di nuovo.",
        "This performance was already cancelled; nobody was emailed again.",
      ],
      movePerformanceDescription: [
        "Dai alla replica una nuova data e ora. I biglietti restano validi per il nuovo giorno; chi ha un biglietto e un'email riceve nuova data, ora e luogo, con l'aggiornamento per il calendario.",
        "Give the performance a new date and time. Tickets stay valid for the new day; every ticket holder with an email is told the new date, time and place, with a calendar update.",
      ],
      movePerformancePreview_one: ["1 persona riceverà un'email con la nuova data e ora.", "1 person will be emailed the new date and time."],
      movePerformancePreview_other: [
        "{{count}} persone riceveranno un'email con la nuova data e ora.",
        "{{count}} people will be emailed the new date and time.",
      ],
      movePerformanceDone_one: ["Replica spostata; 1 persona riceverà un'email.", "Performance moved; 1 person will be emailed."],
      movePerformanceDone_other: ["Replica spostata; {{count}} persone riceveranno un'email.", "Performance moved; {{count}} people will be emailed."],
      movePerformanceUnchanged: [
        "Stessa data e stesso luogo di prima: nulla è cambiato, nessuno è stato avvisato.",
        "Same date and place as before: nothing changed, nobody was emailed.",
      ],
      newStartsAtField: ["Nuova data e ora", "New date and time"],
      performanceHasBookings: [
        "Questa replica ha delle prenotazioni e non si può eliminare. Usa «Annulla la replica e avvisa tutti»: annulla le prenotazioni e avvisa chi le ha fatte.",
        "This performance has bookings and cannot be deleted. Use “Cancel performance and notify everyone”: it cancels the bookings and tells the people who made them.",
      ],
      roomCapacityHelp: [
        "Quanti posti ha la sala per questa replica (vuoto: i posti abituali della sala). I posti in vendita sul sito sono: posti in sala + posti aggiuntivi − posti occupati a mano − posti già prenotati.",
        "How many seats the room has for this performance (empty: the venue's usual seats). Seats on sale on the site: room + extra − taken by hand − already booked.",
      ],
      additionalSeatsHelp: [
        "Posti in più aperti alla prenotazione (sedie aggiunte, palchi). Si sommano ai posti in vendita. Vuoto vale 0.",
        "Extra seats opened for booking (added chairs, boxes). They add to the seats on sale. Empty means 0.",
      ],
      manuallyOccupiedSeatsHelp: [
        "Posti già dati fuori dal sito (telefono, ospiti, stampa): si tolgono dai posti in vendita. Vuoto vale 0.",
        "Seats given outside the site (phone, guests, press): they are taken off the seats on sale. Empty means 0.",
      ],
      isBookingEnabledHelp: [
        "Se è spuntato, il pubblico può prenotare questa replica dal sito.",
        "When ticked, visitors can book this performance on the site.",
      ],
      addDatesDescription: [
        "Crea altre repliche dello stesso spettacolo, nella stessa sala e con gli stessi posti, tutte insieme. Scrivi le date una per riga (2027-01-12 21:00), oppure i giorni della settimana (1 lunedì … 7 domenica, per esempio 2-7) con un orario, dal primo all'ultimo giorno. Orari della sala. Guarda l'anteprima prima di salvare.",
        "Create more performances of the same show, in the same venue with the same seats, all at once. Write the dates one per line (2027-01-12 21:00), or weekdays (1 Monday … 7 Sunday, e.g. 2-7) with a time, from a first to a last day. Times are the venue's. Check the preview before saving.",
      ],
      addDatesPreview: ["{{count}} repliche:\n{{dates}}", "{{count}} performances:\n{{dates}}"],
      addDatesDone: ["Create {{count}} repliche.", "{{count}} performances created."],
      runDatesField: ["Date e orari, uno per riga", "Dates and times, one per line"],
      runFromField: ["Dal giorno (AAAA-MM-GG)", "From (YYYY-MM-DD)"],
      runToField: ["Al giorno (AAAA-MM-GG)", "To (YYYY-MM-DD)"],
      runWeekdaysField: ["Giorni della settimana (1 lun … 7 dom, es. 2-7)", "Weekdays (1 Mon … 7 Sun, e.g. 2-7)"],
      runTimeField: ["Orario (HH:MM)", "Time (HH:MM)"],
      englishHelp,
      surtitlesHelp: [
        "La lingua dei sovratitoli in questa replica (en, it…); vuoto: nessuno.",
        "The language of the surtitles at this performance (en, it…); empty: none.",
      ],
      noteHelp: [
        "Solo per questa data: replica relaxed, interprete LIS, audiodescrizione…",
        "This date only: relaxed performance, sign language interpreter, audio description…",
      ],
    },
  },
  Reservation: {
    name: ["Prenotazioni", "Reservations"],
    properties: {
      name: ["Nome", "Name"],
      email: ["Email", "Email"],
      phone: ["Telefono", "Phone"],
      performance: ["Replica", "Performance"],
      partySize: ["Posti", "Seats"],
      status: ["Stato", "Status"],
      notes: ["Note", "Notes"],
      locale: ["Lingua", "Language"],
      confirmedAt: ["Confermata il", "Confirmed"],
      cancelledAt: ["Annullata il", "Cancelled"],
      qrCodeGeneratedAt: ["Biglietto creato il", "Ticket issued"],
      reminderSentAt: ["Promemoria inviato il", "Reminder sent"],
      anonymizedAt: ["Dati personali cancellati il", "Personal data erased"],
      showTitle: ["Titolo dello spettacolo", "Show title"],
      bookingCode: ["Codice prenotazione", "Booking code"],
      code: ["Codice prenotazione", "Booking code"],
      source: ["Origine", "Source"],
      state: ["Stato", "Status"],
      checkedInAt: ["Entrata alle", "Checked in at"],
      checkedIn: ["Entrata", "Checked in"],
      when: ["Data della replica", "Performance date"],
      createdAt: ["Prenotata il", "Booked"],
      updatedAt,
    },
    values: {
      status: reservationStatus,
      state: { ...reservationStatus, checked_in: ["entrata", "checked in"] },
      checkedIn: yesNo(["entrata", "checked in"], ["non ancora entrata", "not yet in"]),
      when: whenValues,
      source: { online: ["sito", "website"], box_office: ["botteghino", "box office"], waitlist: ["lista d'attesa", "waiting list"] },
      locale: { it: ["Italiano", "Italian"], en: ["Inglese", "English"] },
    },
    actions: {
      new: ["Nuova prenotazione al botteghino", "New box-office booking"],
      printTicket: ["Stampa il biglietto", "Print the ticket"],
      undoCheckIn: ["Annulla ingresso", "Undo check-in"],
      changeReservation: ["Cambia prenotazione", "Change reservation"],
      confirmManually: ["Conferma prenotazione", "Confirm reservation"],
      cancelReservation: ["Annulla prenotazione", "Cancel reservation"],
      resendConfirmation: ["Invia un nuovo link di conferma", "Send a new confirmation link"],
      resendTicket: ["Invia di nuovo il biglietto", "Send the ticket again"],
      checkInManually: ["Registra ingresso", "Check in"],
      bulkCancel: ["Annulla selezionate", "Cancel selected"],
      ...privacyActions,
    },
    messages: {
      confirmManuallyDescription: [
        "Conferma la prenotazione al posto del visitatore. I posti si prendono se ancora liberi e parte l'email con il biglietto.",
        "Confirm this reservation on the visitor's behalf. The seats are taken if still available, and the ticket email is sent.",
      ],
      confirmManuallyDone: ["Prenotazione confermata; l'email con il biglietto è in partenza.", "Reservation confirmed; the ticket email is on its way."],
      cancelReservationDescription: [
        "Annulla questa prenotazione. I suoi posti tornano subito liberi sul sito.",
        "Cancel this reservation. Its seats become available on the site at once.",
      ],
      cancelReservationDone: ["Prenotazione annullata; i posti sono di nuovo liberi.", "Reservation cancelled; its seats are available again."],
      resendConfirmationDescription: [
        "Invia al visitatore un nuovo link di conferma. I link precedenti smettono di funzionare.",
        "Email the visitor a new confirmation link. Earlier links stop working.",
      ],
      resendConfirmationDone: ["Nuovo link di conferma inviato.", "A new confirmation link has been sent."],
      resendTicketDescription: [
        "Invia al visitatore un nuovo biglietto. Il biglietto e il QR code precedenti smettono di funzionare.",
        "Email the visitor a new ticket. The previous ticket link and QR code stop working.",
      ],
      resendTicketDone: ["Nuovo biglietto inviato.", "A new ticket has been sent."],
      checkInManuallyDescription: [
        "Registra che il gruppo è entrato, senza scansionare il biglietto.",
        "Record that this party has entered, without scanning the ticket.",
      ],
      checkInManuallyDone: ["Ingresso registrato.", "Checked in."],
      localeHelp: ["La lingua di ogni email a questa persona.", "The language of every email to this person."],
      emailHelp: [
        "Facoltativa per una prenotazione al botteghino: senza email, stampa il biglietto.",
        "Optional for a box-office booking: without it, print the ticket.",
      ],
      boxOfficeBookedEmailed: [
        "Prenotazione {{code}} confermata per {{seats}}: l'email con il biglietto è in partenza.",
        "Booking {{code}} confirmed for {{seats}}: the ticket email is on its way.",
      ],
      boxOfficeBookedPrint: [
        "Prenotazione {{code}} confermata per {{seats}}. Nessuna email: stampa ora il biglietto.",
        "Booking {{code}} confirmed for {{seats}}. No email: print the ticket now.",
      ],
      printTicketDescription: [
        "Apri un biglietto da stampare per questo gruppo (per una prenotazione senza email). Un biglietto stampato prima smette di funzionare.",
        "Open a printable ticket for this party (for a booking without email). A ticket printed earlier stops working.",
      ],
      printTicketDone: ["Un nuovo biglietto è pronto da stampare.", "A new ticket is ready to print."],
      undoCheckInDescription,
      undoCheckInDone,
      undoReasonField,
      changeReservationDescription: [
        "Cambia il numero di persone o sposta la prenotazione su un'altra replica dello stesso spettacolo. I posti si controllano come per una nuova prenotazione; con un'email, parte un nuovo biglietto (il precedente smette di funzionare).",
        "Change the number of people, or move the booking to another performance of the same show. Seats are checked as for a new booking; with an email, a new ticket is sent (the previous one stops working).",
      ],
      changeReservationPreview: ["Ora: {{seats}} persone, {{performance}}.", "Now: {{seats}} people, {{performance}}."],
      changeReservationDone: ["Prenotazione cambiata: {{seats}} persone.", "Reservation changed: {{seats}} people."],
      changeReservationEmailed: [
        "Prenotazione cambiata: {{seats}} persone; il nuovo biglietto è in partenza.",
        "Reservation changed: {{seats}} people; the new ticket is on its way.",
      ],
      changeReservationUnchanged: ["Niente da cambiare.", "Nothing to change."],
      newPartySizeField: ["Nuovo numero di persone", "New number of people"],
      newPerformanceField: ["Sposta su un'altra replica", "Move to another performance"],
      bulkCancelDescription: [
        "Annulla tutte le prenotazioni selezionate. Quelle già entrate o già annullate restano come sono.",
        "Cancel every selected reservation. Checked-in or already cancelled ones are left as they are.",
      ],
      ...privacyMessages,
    },
  },
  WaitlistEntry: {
    name: ["Lista d'attesa", "Waiting list"],
    properties: {
      performance: ["Replica", "Performance"],
      position: ["Posizione", "Position"],
      name: ["Nome", "Name"],
      email: ["Email", "Email"],
      phone: ["Telefono", "Phone"],
      partySize: ["Posti", "Seats"],
      status: ["Stato", "Status"],
      offeredUntil: ["Posti tenuti fino a", "Seats held until"],
      locale: ["Lingua", "Language"],
      confirmedAt: ["Iscrizione confermata il", "Sign-up confirmed"],
      offeredAt: ["Offerta inviata il", "Offer sent"],
      passedOverReason: ["Saltato perché", "Passed over because"],
      passedOverSeats: ["Posti liberi in quel momento", "Seats free then"],
      passedOverAt: ["Saltato il", "Passed over at"],
      endedReason: ["Uscito perché", "Left because"],
      endedAt: ["Uscito il", "Left at"],
      createdAt: ["Iscritto il", "Signed up"],
      showTitle: ["Titolo dello spettacolo", "Show title"],
    },
    values: {
      status: {
        pending: ["da confermare", "not verified"],
        waiting: ["in attesa", "waiting"],
        offered: ["posti offerti", "offered"],
        booked: ["prenotato", "booked"],
        lapsed: ["offerta scaduta", "lapsed"],
        left: ["uscito", "left"],
        closed: ["lista chiusa", "list closed"],
      },
      passedOverReason: { party_too_large: ["gruppo troppo grande per i posti liberi", "party larger than the seats free"] },
      endedReason: {
        left_by_visitor: ["lasciato dal visitatore", "left by the visitor"],
        declined_offer: ["offerta rifiutata", "declined the offer"],
        removed_by_admin: ["tolto da un amministratore", "removed by an admin"],
        offer_lapsed: ["offerta scaduta", "offer lapsed"],
        offer_cancelled: ["offerta annullata", "offer cancelled"],
        list_closed: ["lista chiusa all'inizio", "list closed at the start"],
      },
    },
    actions: {
      moveUp: ["Sposta su", "Move up"],
      moveDown: ["Sposta giù", "Move down"],
      offerNow: ["Offri i posti ora", "Offer seats now"],
      removeEntry: ["Togli dalla lista", "Remove from the list"],
      ...privacyActions,
    },
    messages: {
      moveUpDescription: [
        "Sposta questa iscrizione di un posto in su: riceverà l'offerta prima di quella che ora la precede.",
        "Move this entry one place up the waiting list: it will be offered seats before the entry now ahead of it.",
      ],
      moveUpDone: ["Spostata su di un posto.", "Moved up one place."],
      moveDownDescription: ["Sposta questa iscrizione di un posto in giù.", "Move this entry one place down the waiting list."],
      moveDownDone: ["Spostata giù di un posto.", "Moved down one place."],
      offerNowDescription: [
        "Offri ora i posti a questa iscrizione, anche fuori turno o con le prenotazioni chiuse. Si possono offrire solo posti liberi: restano tenuti per il visitatore, che riceve la solita email con il link di conferma.",
        "Offer seats to this entry now, even out of turn or with online booking switched off. Only seats that are free can be offered; they are held for the visitor, who gets the usual email with a confirmation link.",
      ],
      offerNowDone: ["Offerta inviata; i posti sono tenuti per questo visitatore.", "Offer sent; the seats are held for this visitor."],
      removeEntryDescription: [
        "Togli questa iscrizione dalla lista d'attesa. Se ha un'offerta, l'offerta è ritirata e i posti passano subito alla successiva.",
        "Take this entry off the waiting list. If it has an offer, the offer is withdrawn and the seats go to the next entry at once.",
      ],
      removeEntryDone: ["Tolta dalla lista d'attesa.", "Removed from the waiting list."],
      ...privacyMessages,
    },
  },
  ReservationToken: {
    name: ["Link e biglietti", "Links and tickets"],
    properties: {
      reservation: ["Prenotazione", "Reservation"],
      purpose: ["Tipo", "Kind"],
      tokenHash: ["Impronta del codice", "Code fingerprint"],
      expiresAt: ["Scade il", "Expires"],
      usedAt: ["Usato il", "Used"],
      createdAt,
    },
    values: { purpose: { confirmation: ["link di conferma", "confirmation link"], check_in: ["biglietto", "ticket"] } },
    messages: {
      tokenHashHelp: ["Impronta SHA-256 del codice: il codice stesso non viene mai salvato.", "SHA-256 of the code; the code itself is never stored."],
    },
  },
  CheckIn: {
    name: ["Ingressi", "Check-ins"],
    properties: {
      id: ["Codice", "Id"],
      reservation: ["Prenotazione", "Reservation"],
      checkedInAt: ["Entrato alle", "Checked in at"],
      checkedInBy: ["Registrato da", "Checked in by"],
      source: ["Come", "How"],
      scanId: ["Scansione", "Scan"],
      createdAt,
      updatedAt,
    },
    values: { source: { qr_scan: ["QR code", "QR code"], manual: ["a mano", "by hand"] } },
    actions: { undoCheckIn: ["Annulla ingresso", "Undo check-in"] },
    messages: { undoCheckInDescription, undoCheckInDone, undoReasonField },
  },
  DoorScan: {
    name: ["Ingressi senza rete", "Offline door scans"],
    properties: {
      reservation: ["Prenotazione", "Reservation"],
      scannedAt: ["Scansionato alle", "Scanned at"],
      receivedAt: ["Ricevuto alle", "Received at"],
      user: ["Staff", "Staff"],
      deviceId: ["Telefono", "Phone"],
      outcome: ["Esito", "Outcome"],
      reason: ["Motivo", "Reason"],
      conflict: ["Entrato due volte", "Got in twice"],
    },
    values: {
      conflict: yesNo(["sì", "yes"], ["no", "no"]),
      outcome: {
        checked_in: ["entrato", "checked in"],
        already_checked_in: ["già entrato", "already checked in"],
        refused: ["rifiutato", "refused"],
      },
    },
  },
  Page: {
    name: ["Pagine del sito", "Site pages"],
    properties: {
      id: ["Codice", "Id"],
      title: ["Titolo", "Title"],
      slug,
      locale: ["Lingua", "Language"],
      body: ["Testo", "Text"],
      isPublished: ["Pubblicata", "Published"],
      menuOrder: ["Posizione nel menu", "Menu position"],
      createdAt,
      updatedAt,
    },
    values: { locale: { it: ["Italiano", "Italian"], en: ["Inglese", "English"] }, isPublished: yesNo(["pubblicata", "published"], ["bozza", "draft"]) },
    messages: {
      slugHelp,
      bodyHelp: [
        "Testo in Markdown: **grassetto**, _corsivo_, ### titoletti, elenchi con -.",
        "Markdown text: **bold**, _italic_, ### headings, lists with -.",
      ],
    },
  },
  SiteSetting: {
    name: ["Impostazioni del sito", "Site settings"],
    properties: {
      key: ["Impostazione", "Setting"],
      value: ["Valore", "Value"],
      updatedAt,
    },
  },
  User: {
    name: ["Utenti", "Users"],
    properties: {
      email: ["Email", "Email"],
      name: ["Nome", "Name"],
      role: ["Ruolo", "Role"],
      password: ["Password", "Password"],
      adminLocale: ["Lingua del back-office", "Back-office language"],
      createdAt,
      updatedAt,
    },
    values: { role: { admin: ["amministratore", "admin"], staff: ["staff di sala", "door staff"] } },
    messages: {
      passwordHelp: ["Almeno 10 caratteri. Lascia vuoto per tenere la password attuale.", "At least 10 characters. Leave empty to keep the current password."],
    },
  },
  EmailOutbox: {
    name: ["Email in uscita", "Outgoing email"],
    properties: {
      kind: ["Tipo", "Kind"],
      toAddress: ["Destinatario", "To"],
      subject: ["Oggetto", "Subject"],
      status: ["Stato", "Status"],
      attempts: ["Tentativi", "Attempts"],
      nextAttemptAt: ["Prossimo tentativo", "Next attempt"],
      lastError: ["Ultimo errore", "Last error"],
      sentAt: ["Inviata il", "Sent"],
      reservation: ["Prenotazione", "Reservation"],
      createdAt,
      updatedAt,
    },
    values: { status: { pending: ["in coda", "queued"], sent: ["inviata", "sent"], failed: ["non inviata", "failed"] } },
    actions: { retry: ["Riprova l'invio", "Retry sending"] },
    messages: {
      retryDescription: [
        "Rimetti in coda questa email non inviata e prova a consegnarla ora.",
        "Put this failed email back in the queue and try to deliver it now.",
      ],
      retryDone: ["L'email è di nuovo in coda.", "The email is queued again."],
    },
  },
  AuditLog: {
    name: ["Registro delle modifiche", "Audit log"],
    properties: {
      createdAt: ["Quando", "When"],
      user: ["Utente", "User"],
      actorLabel: ["Chi", "Who"],
      action: ["Azione", "Action"],
      entity: ["Tipo di dato", "Record type"],
      entityId: ["Codice del dato", "Record id"],
      changes: ["Modifiche", "Changes"],
      changesText: ["Modifiche", "Changes"],
      summary: ["Cosa è successo", "What happened"],
    },
  },
};

/** AdminJS's own actions, and words AdminJS's Italian gets wrong or we say differently. */
const globalWords = {
  actions: {
    new: ["Nuovo", "New"],
    edit: ["Modifica", "Edit"],
    // "Show" is the theatre word here: the record page is "Details".
    show: ["Dettagli", "Details"],
    delete: ["Elimina", "Delete"],
    bulkDelete: ["Elimina selezionati", "Delete selected"],
    list: ["Elenco", "List"],
    search: ["Cerca", "Search"],
  },
  messages: {
    successfullyUpdated: ["Modifiche salvate.", "Changes saved."],
    successfullyCreated: ["Creato.", "Created."],
    successfullyDeleted: ["Eliminato.", "Deleted."],
    thereWereValidationErrors: ["Alcuni campi non vanno bene: controlla i messaggi qui sotto.", "Some fields need attention: see the messages below."],
    invalidCredentials: ["Email o password non corretti.", "Wrong email or password."],
  },
  labels: { dashboard: ["Inizio", "Home"], pages: ["Botteghino", "Box office"] },
  pages: { tonight: ["Stasera", "Tonight"] },
  components: {
    Login: {
      welcomeHeader: ["Back-office", "Back-office"],
      welcomeMessage: ["Accedi con il tuo account per gestire spettacoli, repliche e prenotazioni.", "Sign in to manage shows, performances and reservations."],
    },
    LanguageSelector: { availableLanguages: { it: ["Italiano", "Italiano"], en: ["English", "English"] } },
    Dashboard: {
      title: ["Back-office", "Back-office"],
      loadFailed: ["Non è stato possibile caricare la pagina. Ricaricala.", "The dashboard could not be loaded. Reload the page."],
      upcoming: ["Prossime repliche", "Upcoming performances"],
      noUpcoming: ["Nessuna replica in programma.", "No upcoming performances."],
      legendCheckedIn: ["entrati", "checked in"],
      legendConfirmed: ["prenotati, non ancora entrati", "confirmed, not yet in"],
      legendAvailable: ["liberi", "available"],
      bookingClosed: ["prenotazioni chiuse", "booking closed"],
      seats: [
        "{{confirmed}} prenotati · {{available}} liberi · {{checkedIn}} entrati · {{pending}} da confermare · {{capacity}} posti",
        "{{confirmed}} confirmed · {{available}} available · {{checkedIn}} checked in · {{pending}} pending · capacity {{capacity}}",
      ],
      bar: [
        "{{confirmed}} prenotati, {{checkedIn}} entrati, {{available}} liberi su {{capacity}}",
        "{{confirmed}} confirmed, {{checkedIn}} checked in, {{available}} available of {{capacity}}",
      ],
      checkIns: ["Ingressi di oggi: {{count}} gruppi, {{people}} persone", "Today's check-ins: {{count}} parties, {{people}} people"],
      checkedInBy: ["registrato da {{by}}", "by {{by}}"],
      failedEmails: ["Email non inviate: {{count}}", "Failed emails: {{count}}"],
      attempts: ["{{count}} tentativi", "{{count}} attempts"],
      tonightLink: [
        "Stasera al botteghino: repliche di oggi, arrivi ed elenco di sala →",
        "Tonight at the box office: today's performances, arrivals and door list →",
      ],
    },
    Tonight: {
      title: ["Stasera", "Tonight"],
      loadFailed: ["Non è stato possibile caricare la pagina. Ricaricala.", "The page could not be loaded. Reload it."],
      updated: ["Aggiornato alle {{time}} · si aggiorna da solo ogni 30 secondi", "Updated {{time}} · refreshes itself every 30 seconds"],
      staleSince: [
        "Aggiornamento non riuscito: i dati sono quelli delle {{time}}. Riprovo tra 30 secondi.",
        "Could not refresh: these figures are from {{time}}. Trying again in 30 seconds.",
      ],
      none: ["Nessuna replica oggi.", "No performances today."],
      cancelled: ["REPLICA ANNULLATA", "PERFORMANCE CANCELLED"],
      bookingClosed: ["prenotazioni chiuse", "booking closed"],
      seatsLeft: ["posti liberi (su {{capacity}})", "seats left (of {{capacity}})"],
      arrived: ["persone entrate (gruppi: {{parties}})", "people arrived (parties: {{parties}})"],
      toCome: ["persone ancora attese (gruppi: {{parties}})", "people still to come (parties: {{parties}})"],
      pending: ["prenotazioni da confermare", "bookings not yet confirmed"],
      actionsFor: ["Azioni per {{title}} delle {{time}}", "Actions for {{title}} at {{time}}"],
      phoneBooking: ["Nuova prenotazione (telefono, cassa)", "Add a phone booking"],
      showDoorList: ["Mostra l'elenco di sala", "Show the door list"],
      print: ["Stampa l'elenco di sala", "Print the door list"],
      move: ["Sposta la replica", "Move the performance"],
      cancel: ["Annulla la replica e avvisa tutti", "Cancel the performance and tell everyone"],
      doorList: ["Elenco di sala: {{title}}, ore {{time}}", "Door list: {{title}} at {{time}}"],
      search: ["Cerca per nome (basta una lettera) o codice di prenotazione", "Search by name (one letter is enough) or booking code"],
      shown: ["{{shown}} di {{total}} gruppi", "{{shown}} of {{total}} parties"],
      noParties: ["Nessuna prenotazione confermata.", "No confirmed reservations."],
      column: {
        name: ["Nome", "Name"],
        code: ["Codice", "Code"],
        people: ["Persone", "People"],
        state: ["Ingresso", "Arrival"],
        notes: ["Note", "Notes"],
        actions: ["Azioni", "Actions"],
      },
      inAt: ["entrato alle {{time}}", "in at {{time}}"],
      notYet: ["atteso", "expected"],
      resend: ["Reinvia il biglietto", "Resend the ticket"],
      resendFor: ["Reinvia il biglietto a {{name}}", "Resend the ticket to {{name}}"],
      printTicket: ["Stampa il biglietto", "Print the ticket"],
      printTicketFor: ["Stampa il biglietto di {{name}}", "Print the ticket for {{name}}"],
    },
    ActionConfirm: {
      failed: ["La richiesta non è andata a buon fine. Ricarica la pagina e riprova.", "The request failed. Reload the page and try again."],
      working: ["Un momento…", "Working…"],
      more: ["… e altre {{count}}", "… and {{count}} more"],
      keep: ["(la stessa di ora)", "(keep the current one)"],
      preview: ["Anteprima", "Preview"],
    },
    ExportCsv: {
      intro: [
        "L'elenco di sala di questa replica: ogni prenotazione con il suo stato e l'ora di ingresso.",
        "The box-office list of this performance: every reservation with its status and check-in time.",
      ],
      xlsx: ["Scarica Excel (.xlsx)", "Download Excel (.xlsx)"],
      csv: ["Scarica CSV", "Download CSV"],
      doorList: ["Elenco di sala da stampare (A4)", "Printable door list (A4)"],
    },
    PosterUpload: {
      alt: ["La locandina attuale", "The current poster"],
      none: ["Nessuna locandina: il sito mostra quella predefinita.", "No poster: the site shows the default one."],
      help: [
        "JPEG, PNG o WebP, fino a 12 MB e 50 milioni di pixel, almeno 200 pixel per lato. Il sito la mostra ridimensionata (al massimo 800×1200). La locandina cambia subito, senza salvare.",
        "JPEG, PNG or WebP, up to 12 MB and 50 million pixels, at least 200 pixels a side. The site shows it resized (at most 800×1200). The poster changes at once, without saving.",
      ],
      saveFirst: ["Salva lo spettacolo, poi carica la locandina.", "Save the show first, then upload its poster."],
      working: ["Caricamento…", "Uploading…"],
      done: ["Locandina caricata: il sito la mostra già.", "Poster uploaded: the site already shows it."],
      errors: {
        too_big: ["Il file è troppo grande: al massimo 12 MB.", "The file is too large: 12 MB at most."],
        not_an_image: ["Il file non è un'immagine (o è danneggiato).", "The file is not an image (or it is damaged)."],
        wrong_type: ["Formato non accettato: carica un JPEG, PNG o WebP.", "Format not accepted: upload a JPEG, PNG or WebP."],
        too_many_pixels: ["L'immagine è troppo grande: al massimo 50 milioni di pixel.", "The image is too large: 50 million pixels at most."],
        too_small: ["L'immagine è troppo piccola: almeno 200 pixel per lato.", "The image is too small: at least 200 pixels a side."],
        not_found: ["Lo spettacolo non esiste più.", "The show no longer exists."],
        failed: ["Il caricamento non è riuscito. Riprova.", "The upload failed. Try again."],
      },
    },
    PersonalData: {
      intro: [
        "Tutto ciò che Sipario conserva su questa email, a ogni replica: prenotazioni, link e biglietti emessi (non i link stessi), iscrizioni alla lista d'attesa ed email inviate. Invialo alla persona che lo ha chiesto. Lo scaricamento resta nel registro delle modifiche.",
        "Everything Sipario stores about this email, at every performance: reservations, ticket links issued (not the links themselves), waiting-list entries and emails sent. Send it to the person who asked. The download is recorded in the audit log.",
      ],
      txt: ["Scarica come testo (.txt)", "Download as text (.txt)"],
      json: ["Scarica come JSON (.json)", "Download as JSON (.json)"],
    },
    AuditEntry: {
      showRaw: ["Mostra i dati registrati (JSON)", "Show the recorded data (JSON)"],
      hideRaw: ["Nascondi i dati registrati", "Hide the recorded data"],
    },
  },
} as const;

type Nested = { readonly [key: string]: Words | Nested };

function pick(tree: Nested, index: 0 | 1): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, Array.isArray(v) ? v[index] : pick(v as Nested, index)]));
}

function build(language: AdminLanguage): LocaleTranslations {
  const i = language === "it" ? 0 : 1;
  const only = (words: Record<string, Words> | undefined) => Object.fromEntries(Object.entries(words ?? {}).map(([k, w]) => [k, w[i]]));
  const resources: NonNullable<LocaleTranslations["resources"]> = {};
  for (const [id, words] of Object.entries(resourceWords)) {
    const values: Record<string, string> = {};
    for (const [property, byValue] of Object.entries(words.values ?? {})) {
      for (const [value, w] of Object.entries(byValue)) values[`${property}.${value}`] = w[i];
    }
    resources[id] = { properties: only(words.properties), labels: values, actions: only(words.actions), messages: only(words.messages) };
  }
  const g = pick(globalWords as unknown as Nested, i) as Record<string, Record<string, unknown>>;
  // A notice arrives without its resource: its words must also be found globally (a
  // resource's own words still come first where AdminJS knows the resource).
  const notices: Record<string, string> = {};
  for (const w of Object.values(resourceWords)) for (const [key, words] of Object.entries(w.messages ?? {})) notices[key] ??= words[i];
  return {
    ...g,
    messages: { ...notices, ...g.messages },
    labels: {
      ...g.labels,
      ...only(navigationWords),
      ...Object.fromEntries(Object.entries(resourceWords).map(([id, w]) => [id, w.name[i]])),
    },
    resources,
  };
}

export const adminTranslations: Record<AdminLanguage, LocaleTranslations> = { it: build("it"), en: build("en") };

/**
 * The words of an audit entry read as a sentence (audit-words.ts): "Mario Rossi ha cambiato
 * Posti in sala da 120 a 110 per Le serve, 14 dic 20:30". `action.<name>` reads a service's
 * own action.
 */
export const auditWords: Record<string, Words> = {
  changed: ["ha cambiato", "changed"],
  created: ["ha creato", "created"],
  deleted: ["ha eliminato", "deleted"],
  from: ["da", "from"],
  to: ["a", "to"],
  for: ["per", "for"],
  and: ["e", "and"],
  empty: ["vuoto", "empty"],
  yes: ["sì", "yes"],
  no: ["no", "no"],
  system: ["Il sistema", "The system"],
  did: ["ha eseguito", "did"],
  "action.reservation.cancel": ["ha annullato la prenotazione", "cancelled the reservation"],
  "action.reservation.confirm": ["ha confermato la prenotazione", "confirmed the reservation"],
  "action.reservation.check_in": ["ha registrato l'ingresso", "checked in"],
  "action.reservation.box_office": ["ha fatto una prenotazione al botteghino", "made a box-office booking"],
  "action.performance.cancel": ["ha annullato la replica", "cancelled the performance"],
  "action.email.retry": ["ha rimesso in coda un'email", "retried an email"],
};
