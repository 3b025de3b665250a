import { DomainError } from "@sipario/api";
import type { ActionContext, ActionRequest } from "adminjs";
import { askFirst, type ResourceDeps } from "./shared.ts";

/** GDPR requests are the controller's to answer: admins only, even if staff ever reach the back-office. */
const adminOnly = ({ currentAdmin }: ActionContext) => currentAdmin?.role === "admin";

/**
 * Erasure on request (GDPR art. 17), offered on a reservation and on a waiting-list entry:
 * the person named by that record's email loses their personal data everywhere
 * (packages/api privacy.service.ts decides what and how; audited there). The action's
 * screen explains and asks; only its POST erases.
 */
export function erasePersonAction(deps: ResourceDeps, emailOf: (id: string) => Promise<string | null>) {
  return {
    ...askFirst(deps, {
      label: "Erase this person's data",
      icon: "Trash2",
      description: "erasePersonDescription",
      when: (p) => !p.anonymizedAt && !!p.email,
      run: async (id, actor) => {
        const email = await emailOf(id);
        if (!email) throw new DomainError("invalid_input", "This record has no email to erase.");
        return deps.services.erasePerson(email, actor);
      },
      done: "erasePersonDone",
    }),
    isAccessible: adminOnly,
  };
}

/** Access on request (GDPR art. 15): a screen with the download links of privacy-routes.ts. */
export function personalDataAction(deps: ResourceDeps) {
  return {
    actionType: "record" as const,
    icon: "Download",
    component: deps.components.PersonalData,
    showInDrawer: false,
    isVisible: (context: ActionContext) => !!context.record?.params.email && !context.record?.params.anonymizedAt,
    isAccessible: adminOnly,
    handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => ({ record: context.record!.toJSON(context.currentAdmin) }),
  };
}
