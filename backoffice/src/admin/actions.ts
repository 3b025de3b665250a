import { DomainError, type Actor } from "@sipario/api";
import { NotFoundError, type Action, type ActionContext, type ActionRequest, type ActionResponse } from "adminjs";
import { actorOf } from "./sipario-resource.ts";

/** Words for the page: a message key of locale.ts and the values it names ({{told}}). */
export interface Words {
  key: string;
  values?: Record<string, string | number>;
}

const asNotice = (words: string | Words) => (typeof words === "string" ? { message: words } : { message: words.key, options: words.values ?? {} });

/** An input the confirmation screen asks for (a reason, a new date); sent with the POST. */
export interface ActionField {
  name: string;
  /** Message key of the field's label (locale.ts). */
  label: string;
  type: "text" | "textarea" | "datetime" | "number" | "select";
  required?: boolean;
}

/** The options of a select field, per record (e.g. the other performances of the same show). */
export type FieldChoices = Record<string, { value: string; label: string }[]>;

export interface ServiceActionOptions {
  /** English fallback of the button; the words come from the locale (actions.<name>). */
  label: string;
  icon: string;
  /** Message key of the explanation on the confirmation screen (locale.ts). */
  description: string;
  /** Shown only where it can apply; the service still decides. */
  when?: (params: Record<string, unknown>) => boolean;
  run: (recordId: string, actor: Actor & { userId: string }, context: ActionContext, payload: Record<string, unknown>) => Promise<unknown>;
  /** Message key of the success notice (locale.ts), or a sentence from the service's answer where it says more. */
  done: string | ((result: never) => string | Words);
  /** What the confirmation screen says the action will do to this record (e.g. how many people will be told). */
  preview?: (recordId: string) => Promise<Words>;
  /** Inputs asked for on the confirmation screen. */
  fields?: ActionField[];
  /** A second button that asks the service what the action would do with the inputs, saving nothing. */
  dryRun?: (recordId: string, payload: Record<string, unknown>) => Promise<Words>;
  /** The options of its select fields for this record. */
  choices?: (recordId: string) => Promise<FieldChoices>;
  /** Where to go after success: the record (default) or the list (the action removed the record). */
  after?: "show" | "list";
  /** A page the browser opens after success (the printable ticket on the site). */
  openUrl?: (result: never) => string | undefined;
  component: string;
}

function requireActor(context: ActionContext): Actor & { userId: string } {
  const actor = actorOf(context);
  if (!actor) throw new DomainError("unauthenticated", "Sign in again.");
  return actor;
}

/** What both kinds of service action show: the confirmation screen, labelled and explained. */
function confirmationScreen(
  options: Pick<ServiceActionOptions, "label" | "icon" | "description" | "component" | "fields"> & { done?: ServiceActionOptions["done"]; dryRun?: unknown },
) {
  return {
    icon: options.icon,
    component: options.component,
    showInDrawer: false,
    // done is here for the locale test, which checks every message key has words.
    custom: {
      description: options.description,
      label: options.label,
      fields: options.fields ?? [],
      canPreview: Boolean(options.dryRun),
      ...(typeof options.done === "string" ? { done: options.done } : {}),
    },
  };
}

/**
 * A record action that calls one packages/api service. GET only describes it (the
 * confirmation screen); the change happens on POST, which the same-origin check guards.
 * Refusals (DomainError) come back as an error notice, never a 500.
 */
export function serviceAction(options: ServiceActionOptions): Partial<Action<ActionResponse>> {
  return {
    actionType: "record",
    ...confirmationScreen(options),
    isVisible: (context) => !options.when || options.when(context.record?.params ?? {}),
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const { record, currentAdmin, resource, h } = context;
      if (!record) throw new NotFoundError(`Record ${request.params.recordId} not found`, "Action#handler");
      if (request.method !== "post") {
        const json = record.toJSON(currentAdmin);
        if (options.preview) {
          const preview = await options.preview(String(record.id()));
          // Params are flat strings: the values travel as JSON, translated in the page.
          json.params = { ...json.params, actionPreview: preview.key, actionPreviewValues: JSON.stringify(preview.values ?? {}) };
        }
        if (options.choices) json.params = { ...json.params, actionChoices: JSON.stringify(await options.choices(String(record.id()))) };
        return { record: json };
      }
      try {
        if (options.dryRun && request.payload?.preview === "yes") {
          const preview = await options.dryRun(String(record.id()), request.payload);
          return { record: record.toJSON(currentAdmin), dryRun: preview };
        }
        const result = (await options.run(String(record.id()), requireActor(context), context, request.payload ?? {})) as never;
        const fresh = (await resource.findOne(String(record.id()))) ?? record;
        const openUrl = options.openUrl?.(result);
        return {
          record: fresh.toJSON(currentAdmin),
          notice: { ...asNotice(typeof options.done === "function" ? options.done(result) : options.done), type: "success" },
          redirectUrl:
            options.after === "list"
              ? h.resourceUrl({ resourceId: resource.id() })
              : h.recordActionUrl({ resourceId: resource.id(), recordId: String(record.id()), actionName: "show" }),
          ...(openUrl ? { openUrl } : {}),
        };
      } catch (error) {
        if (error instanceof DomainError) {
          return { record: record.toJSON(currentAdmin), notice: { message: error.message, type: "error" } };
        }
        throw error;
      }
    },
  };
}

/** The bulk form of a service action: each record goes through the service on its own. */
export function bulkServiceAction(
  options: Omit<ServiceActionOptions, "when" | "done" | "preview" | "after" | "openUrl" | "choices">,
): Partial<Action<ActionResponse>> {
  return {
    actionType: "bulk",
    ...confirmationScreen(options),
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
      const { records = [], currentAdmin, resource, h } = context;
      if (records.length === 0) throw new NotFoundError("No records selected", "Action#handler");
      if (request.method !== "post") return { records: records.map((r) => r.toJSON(currentAdmin)) };
      const actor = requireActor(context);
      let done = 0;
      const refused: string[] = [];
      for (const record of records.slice(0, 500)) {
        try {
          await options.run(String(record.id()), actor, context, request.payload ?? {});
          done++;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          refused.push(`${String(record.params.name ?? record.id())}: ${error.message}`);
        }
      }
      const fresh = await resource.findMany(records.map((r) => String(r.id())));
      const message = refused.length ? `${done} done; ${refused.length} refused (${refused.slice(0, 3).join("; ")})` : `${done} done.`;
      return {
        records: fresh.map((r) => r.toJSON(currentAdmin)),
        notice: { message, type: refused.length ? "error" : "success" },
        redirectUrl: h.resourceUrl({ resourceId: resource.id() }),
      };
    },
  };
}

export const readOnlyActions = {
  new: { isAccessible: false },
  edit: { isAccessible: false },
  delete: { isAccessible: false },
  bulkDelete: { isAccessible: false },
} as const;
