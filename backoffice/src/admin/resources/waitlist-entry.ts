import type { ResourceWithOptions } from "adminjs";
import { erasePersonAction, personalDataAction } from "./privacy.ts";
import { askFirst, badge, bookings, insensitive, modelResource, onlyIn, type ResourceDeps } from "./shared.ts";

/**
 * The waiting list of each performance (filter by performance): position, party, status
 * (waiting / offered until … / booked / lapsed / left / closed) and why an entry was
 * passed over. Entries change only through the api's waiting-list services (move, offer
 * by hand, remove), each audited there; nothing is edited or deleted directly.
 */
export function waitlistEntryResource(deps: ResourceDeps): ResourceWithOptions {
  const { services } = deps;
  const status =
    (...statuses: string[]) =>
    (p: Record<string, unknown>) =>
      statuses.includes(String(p.status));
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
        status: badge(deps),
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
          description: "moveUpDescription",
          when: status("waiting"),
          run: (id, actor) => services.moveWaitlistEntry(id, "up", actor),
          done: "moveUpDone",
        }),
        moveDown: askFirst(deps, {
          label: "Move down",
          icon: "ArrowDown",
          description: "moveDownDescription",
          when: status("waiting"),
          run: (id, actor) => services.moveWaitlistEntry(id, "down", actor),
          done: "moveDownDone",
        }),
        offerNow: askFirst(deps, {
          label: "Offer seats now",
          icon: "Gift",
          description: "offerNowDescription",
          when: status("waiting"),
          run: (id, actor) => services.offerWaitlistEntry(id, actor),
          done: "offerNowDone",
        }),
        removeEntry: askFirst(deps, {
          label: "Remove from the list",
          icon: "UserMinus",
          description: "removeEntryDescription",
          when: status("pending", "waiting", "offered"),
          run: (id, actor) => services.removeWaitlistEntry(id, actor),
          done: "removeEntryDone",
        }),
        personalData: personalDataAction(deps),
        erasePerson: erasePersonAction(
          deps,
          async (id) => (await deps.prisma.waitlistEntry.findUnique({ where: { id }, select: { email: true } }))?.email ?? null,
        ),
      },
    },
  };
}
