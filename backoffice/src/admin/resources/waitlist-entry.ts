import type { ResourceWithOptions } from "adminjs";
import { erasePersonAction, personalDataAction } from "./privacy.ts";
import { askFirst, bookings, insensitive, modelResource, onlyIn, type ResourceDeps } from "./shared.ts";

/**
 * The waiting list of each performance (filter by performance): position, party, status
 * (waiting / offered until … / booked / lapsed / left / closed) and why an entry was
 * passed over. Entries change only through the api's waiting-list services (move, offer
 * by hand, remove), each audited there; nothing is edited or deleted directly.
 */
export function waitlistEntryResource(deps: ResourceDeps): ResourceWithOptions {
  const { services } = deps;
  const status = (...statuses: string[]) => (p: Record<string, unknown>) => statuses.includes(String(p.status));
  return {
    resource: modelResource(
      deps,
      "WaitlistEntry",
      {
        virtualFilters: { showTitle: (v) => ({ performance: { show: { title: insensitive(v) } } }) },
        // Position among the waiting entries of the same performance (1 = next to be offered).
        decorate: async (records) => {
          const performanceIds = [...new Set(records.map((r) => String(r.params.performance)))];
          const positions = await services.waitlistPositions(performanceIds);
          for (const r of records) {
            r.params.position = positions.get(String(r.id())) ?? null;
            r.params.offeredUntil = r.params.status === "offered" ? r.params.offerExpiresAt : null;
          }
        },
      },
      ["reservation", "tokens", "anonymizedAt"],
    ),
    options: {
      navigation: bookings,
      listProperties: ["performance", "position", "name", "partySize", "status", "offeredUntil", "passedOverReason", "passedOverSeats", "confirmedAt"],
      filterProperties: ["performance", "status", "showTitle", "name", "email", "createdAt"],
      showProperties: [
        "performance",
        "position",
        "name",
        "email",
        "phone",
        "partySize",
        "status",
        "offeredUntil",
        "locale",
        "confirmedAt",
        "offeredAt",
        "passedOverReason",
        "passedOverSeats",
        "passedOverAt",
        "endedReason",
        "endedAt",
        "createdAt",
      ],
      sort: { sortBy: "queueRank", direction: "asc" },
      properties: {
        showTitle: { isVisible: onlyIn("filter") },
        position: { type: "number", isSortable: false, isVisible: onlyIn("list", "show") },
        offeredUntil: { type: "datetime", isSortable: false, isVisible: onlyIn("list", "show") },
        queueRank: { isVisible: false },
        offerExpiresAt: { isVisible: false },
        passedOverReason: { availableValues: [{ value: "party_too_large", label: "party_too_large" }] },
        endedReason: {
          availableValues: ["left_by_visitor", "declined_offer", "removed_by_admin", "offer_lapsed", "offer_cancelled", "list_closed"].map((value) => ({
            value,
            label: value,
          })),
        },
      },
      actions: {
        new: { isAccessible: false },
        edit: { isAccessible: false },
        delete: { isAccessible: false },
        bulkDelete: { isAccessible: false },
        moveUp: askFirst(deps, {
          label: "Move up",
          icon: "ArrowUp",
          description: "Move this entry one place up the waiting list: it will be offered seats before the entry now ahead of it.",
          when: status("waiting"),
          run: (id, actor) => services.moveWaitlistEntry(id, "up", actor),
          done: "Moved up one place.",
        }),
        moveDown: askFirst(deps, {
          label: "Move down",
          icon: "ArrowDown",
          description: "Move this entry one place down the waiting list.",
          when: status("waiting"),
          run: (id, actor) => services.moveWaitlistEntry(id, "down", actor),
          done: "Moved down one place.",
        }),
        offerNow: askFirst(deps, {
          label: "Offer seats now",
          icon: "Gift",
          description:
            "Offer seats to this entry now, even out of turn or with online booking switched off. Only seats that are free can be offered; they are held for the visitor, who gets the usual email with a confirmation link.",
          when: status("waiting"),
          run: (id, actor) => services.offerWaitlistEntry(id, actor),
          done: "Offer sent; the seats are held for this visitor.",
        }),
        removeEntry: askFirst(deps, {
          label: "Remove from the list",
          icon: "UserMinus",
          description: "Take this entry off the waiting list. If it has an offer, the offer is withdrawn and the seats go to the next entry at once.",
          when: status("pending", "waiting", "offered"),
          run: (id, actor) => services.removeWaitlistEntry(id, actor),
          done: "Removed from the waiting list.",
        }),
        personalData: personalDataAction(deps),
        erasePerson: erasePersonAction(deps, async (id) => (await deps.prisma.waitlistEntry.findUnique({ where: { id }, select: { email: true } }))?.email ?? null),
      },
    },
  };
}

const statusValues = {
  it: { pending: "da confermare", waiting: "in attesa", offered: "posti offerti", booked: "prenotato", lapsed: "offerta scaduta", left: "uscito", closed: "lista chiusa" },
  en: { pending: "not verified", waiting: "waiting", offered: "offered", booked: "booked", lapsed: "lapsed", left: "left", closed: "list closed" },
};

/** Labels of the waiting-list screens, in both languages (merged into AdminJS's locale). */
export const waitlistTranslations = {
  it: {
    labels: { WaitlistEntry: "Lista d'attesa" },
    resources: {
      WaitlistEntry: {
        properties: {
          performance: "Replica",
          position: "Posizione",
          name: "Nome",
          email: "Email",
          phone: "Telefono",
          partySize: "Posti",
          status: "Stato",
          offeredUntil: "Posti tenuti fino a",
          locale: "Lingua",
          confirmedAt: "Iscrizione confermata il",
          offeredAt: "Offerta inviata il",
          passedOverReason: "Saltato perché",
          passedOverSeats: "Posti liberi in quel momento",
          passedOverAt: "Saltato il",
          endedReason: "Uscito perché",
          endedAt: "Uscito il",
          createdAt: "Iscritto il",
          showTitle: "Titolo dello spettacolo",
          "status.pending": statusValues.it.pending,
          "status.waiting": statusValues.it.waiting,
          "status.offered": statusValues.it.offered,
          "status.booked": statusValues.it.booked,
          "status.lapsed": statusValues.it.lapsed,
          "status.left": statusValues.it.left,
          "status.closed": statusValues.it.closed,
          "passedOverReason.party_too_large": "gruppo troppo grande per i posti liberi",
          "endedReason.left_by_visitor": "lasciato dal visitatore",
          "endedReason.declined_offer": "offerta rifiutata",
          "endedReason.removed_by_admin": "tolto da un amministratore",
          "endedReason.offer_lapsed": "offerta scaduta",
          "endedReason.offer_cancelled": "offerta annullata",
          "endedReason.list_closed": "lista chiusa all'inizio",
        },
        actions: {
          moveUp: "Sposta su",
          moveDown: "Sposta giù",
          offerNow: "Offri i posti ora",
          removeEntry: "Togli dalla lista",
          erasePerson: "Cancella i dati di questa persona",
          personalData: "Dati di questa persona",
        },
      },
    },
  },
  en: {
    labels: { WaitlistEntry: "Waiting list" },
    resources: {
      WaitlistEntry: {
        properties: {
          performance: "Performance",
          position: "Position",
          partySize: "Seats",
          offeredUntil: "Seats held until",
          confirmedAt: "Sign-up confirmed",
          offeredAt: "Offer sent",
          passedOverReason: "Passed over because",
          passedOverSeats: "Seats free then",
          passedOverAt: "Passed over at",
          endedReason: "Left because",
          endedAt: "Left at",
          createdAt: "Signed up",
          showTitle: "Show title",
          "status.pending": statusValues.en.pending,
          "status.waiting": statusValues.en.waiting,
          "status.offered": statusValues.en.offered,
          "status.booked": statusValues.en.booked,
          "status.lapsed": statusValues.en.lapsed,
          "status.left": statusValues.en.left,
          "status.closed": statusValues.en.closed,
          "passedOverReason.party_too_large": "party larger than the seats free",
          "endedReason.left_by_visitor": "left by the visitor",
          "endedReason.declined_offer": "declined the offer",
          "endedReason.removed_by_admin": "removed by an admin",
          "endedReason.offer_lapsed": "offer lapsed",
          "endedReason.offer_cancelled": "offer cancelled",
          "endedReason.list_closed": "list closed at the start",
        },
        actions: {
          moveUp: "Move up",
          moveDown: "Move down",
          offerNow: "Offer seats now",
          removeEntry: "Remove from the list",
          erasePerson: "Erase this person's data",
          personalData: "This person's data",
        },
      },
    },
  },
};
