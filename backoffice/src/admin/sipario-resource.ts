import { Resource, convertFilter } from "@adminjs/prisma";
import { actorAudit, diffRecords, recordAudit, type Actor } from "@sipario/api";
import { pgErrorOf, type PrismaClient } from "@sipario/db";
import { BaseRecord, type ActionContext, type Filter, type ParamsType } from "adminjs";
import type { DMMF, DmmfModel } from "./dmmf.ts";
import { toValidationError } from "./errors.ts";

/** The signed-in admin, as services and the audit log name who acted; null when signed out. */
export function actorOf(context: ActionContext | undefined): (Actor & { userId: string }) | null {
  const admin = context?.currentAdmin as { id?: string; email?: string } | undefined;
  return admin?.id ? { userId: admin.id, label: admin.email ?? "" } : null;
}

/** The key under which a create behaviour hands its service's answer (as JSON) to the new action's after hook. */
export const CREATE_OUTCOME = "createOutcome";

export interface ResourceBehaviour {
  /** Replaces the plain Prisma create (a packages/api service). Returns the new row. */
  create?: (params: Record<string, unknown>, actor: Actor | null) => Promise<Record<string, unknown>>;
  /** Replaces the plain Prisma update. Returns the updated row. */
  update?: (id: string, params: Record<string, unknown>, actor: Actor | null) => Promise<Record<string, unknown>>;
  delete?: (id: string, actor: Actor | null) => Promise<void>;
  /** Only these params reach an update (others are dropped server-side, whatever the form sent). */
  editable?: string[];
  /** Fills params before create/update (e.g. a slug from the title). */
  prepare?: (params: Record<string, unknown>, mode: "create" | "update") => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Personal fields: the audit row says they changed, not what they were (retention). */
  auditRedact?: string[];
  /** The writes whose service records its own audit row: the resource then adds none (one row per edit). */
  auditsItself?: readonly ("create" | "update" | "delete")[];
  /** Filters that are not columns: name -> Prisma where fragment. */
  virtualFilters?: Record<string, (value: string) => Record<string, unknown>>;
  /** Adds computed params (e.g. a readable title) to records read from the database. */
  decorate?: (records: BaseRecord[]) => Promise<void>;
}

/**
 * The Prisma resource of @adminjs/prisma with Sipario's rules around it: writes can be
 * routed through packages/api services, every write is audited with the admin's id,
 * expected failures become form errors (never a 500), text filters ignore case and
 * malformed filters return nothing instead of crashing.
 */
export class SiparioResource extends Resource {
  private readonly behaviour: ResourceBehaviour;
  private readonly prisma: PrismaClient;

  constructor(args: { model: DmmfModel; client: PrismaClient; dmmf: DMMF }, behaviour: ResourceBehaviour = {}) {
    super({ model: args.model as never, client: args.client, clientModule: { Prisma: { dmmf: args.dmmf } } });
    this.prisma = args.client;
    this.behaviour = behaviour;
    // @adminjs/prisma does not export its Property class; reuse it through an instance.
    const PropertyClass = this.properties()[0]!.constructor as new (field: unknown, position: number, enums: unknown) => never;
    for (const name of Object.keys(behaviour.virtualFilters ?? {})) {
      const field = { name, kind: "scalar", type: "String", isList: false, isRequired: false, isId: false, isReadOnly: false };
      this.propertiesObject[name] = new PropertyClass(field, Object.keys(this.propertiesObject).length, this.enums);
    }
  }

  private auditsItself(write: "create" | "update" | "delete"): boolean {
    return this.behaviour.auditsItself?.includes(write) ?? false;
  }

  // @adminjs/prisma types its delegate loosely (every method optional).
  private get delegate() {
    return this.manager as unknown as {
      count(args: object): Promise<number>;
      findMany(args: object): Promise<Record<string, unknown>[]>;
      create(args: object): Promise<Record<string, unknown>>;
      update(args: object): Promise<Record<string, unknown>>;
    };
  }

  private where(filter: Filter | undefined): Record<string, unknown> {
    const virtual = this.behaviour.virtualFilters ?? {};
    const extra: Record<string, unknown>[] = [];
    let plain = filter;
    if (filter) {
      // Unknown filter names (hidden or made-up columns) are ignored, not crashed on.
      const filters = Object.fromEntries(Object.entries(filter.filters).filter(([, f]) => f?.property));
      for (const [name, fn] of Object.entries(virtual)) {
        const f = filters[name];
        if (f || filter.filters[name]) {
          const value = (f ?? filter.filters[name])!.value;
          if (String(value).trim()) extra.push(fn(String(value).trim()));
          delete filters[name];
        }
      }
      plain = { ...filter, filters } as Filter;
    }
    const where = convertFilter(this.model.fields as never, plain) as Record<string, unknown>;
    for (const value of Object.values(where)) {
      if (value && typeof value === "object" && "contains" in value) (value as Record<string, unknown>).mode = "insensitive";
    }
    return extra.length ? { AND: [where, ...extra] } : where;
  }

  override async count(filter: Filter): Promise<number> {
    try {
      return await this.delegate.count({ where: this.where(filter) });
    } catch (error) {
      if (isBadFilter(error)) return 0;
      throw error;
    }
  }

  override async find(filter: Filter, params: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: "asc" | "desc" } } = {}) {
    const { limit = 10, offset = 0, sort = {} } = params;
    try {
      const rows = await this.delegate.findMany({
        where: this.where(filter),
        skip: offset,
        take: Math.min(limit, 500),
        orderBy: this.buildSortBy(sort),
      });
      return this.decorated(rows.map((row) => new SiparioRecord(this.prepareReturnValues(row), this)));
    } catch (error) {
      if (isBadFilter(error)) return [];
      throw error;
    }
  }

  private async decorated(records: BaseRecord[]): Promise<BaseRecord[]> {
    const own = records.map((r) => (r instanceof SiparioRecord ? r : new SiparioRecord(r.params, this)));
    if (this.behaviour.decorate && own.length) await this.behaviour.decorate(own);
    return own;
  }

  // AdminJS's new action builds its record here; the edit action's comes from findOne.
  override build(params: Record<string, unknown>): BaseRecord {
    return new SiparioRecord(params, this);
  }

  override async findOne(id: string) {
    try {
      const record = await super.findOne(id);
      return record ? (await this.decorated([record]))[0]! : null;
    } catch (error) {
      if (isBadFilter(error)) return null; // e.g. a malformed uuid in the URL
      throw error;
    }
  }

  override async findMany(ids: (string | number)[]) {
    try {
      return await this.decorated(await super.findMany(ids));
    } catch (error) {
      if (isBadFilter(error)) return [];
      throw error;
    }
  }

  override async create(params: Record<string, unknown>, context?: ActionContext): Promise<ParamsType> {
    const actor = actorOf(context);
    try {
      const prepared = this.behaviour.prepare ? await this.behaviour.prepare(params, "create") : params;
      const row = this.behaviour.create ? await this.behaviour.create(prepared, actor) : await this.delegate.create({ data: this.prepareParams(prepared) });
      // What the service answered beyond the row (a box-office booking's ticket) rides along
      // for the new action's after hook.
      const extra = (row as { [CREATE_OUTCOME]?: Record<string, unknown> })[CREATE_OUTCOME];
      const result: Record<string, unknown> = { ...this.prepareReturnValues(row), ...(extra ? { [CREATE_OUTCOME]: JSON.stringify(extra) } : {}) };
      if (!this.auditsItself("create")) {
        await recordAudit(this.prisma, {
          ...actorAudit(actor),
          action: "create",
          entity: this.model.name,
          entityId: String(result[this.idProperty.path()] ?? ""),
          changes: result,
        });
      }
      return result;
    } catch (error) {
      throw toValidationError(error);
    }
  }

  override async update(id: string, params: Record<string, unknown> = {}, context?: ActionContext): Promise<ParamsType> {
    const actor = actorOf(context);
    try {
      let input = params;
      if (this.behaviour.editable) {
        const allowed = new Set(this.behaviour.editable);
        input = Object.fromEntries(Object.entries(params).filter(([key]) => allowed.has(key.split(".")[0]!)));
      }
      const prepared = this.behaviour.prepare ? await this.behaviour.prepare(input, "update") : input;
      const before = await super.findOne(id);
      if (!before) throw toValidationError({ code: "P2025" });
      const row = this.behaviour.update
        ? await this.behaviour.update(id, prepared, actor)
        : await this.delegate.update({ where: { [this.idProperty.path()]: id }, data: this.prepareParams(prepared) });
      const result = this.prepareReturnValues(row);
      if (!this.auditsItself("update")) {
        const changes: Record<string, unknown> = diffRecords(before.params, result);
        for (const key of this.behaviour.auditRedact ?? []) if (key in changes) changes[key] = "[changed]";
        if (Object.keys(changes).length > 0) {
          await recordAudit(this.prisma, {
            ...actorAudit(actor),
            action: "edit",
            entity: this.model.name,
            entityId: id,
            changes,
          });
        }
      }
      return result;
    } catch (error) {
      throw toValidationError(error);
    }
  }

  override async delete(id: string, context?: ActionContext): Promise<void> {
    const actor = actorOf(context);
    try {
      const before = await super.findOne(id);
      if (this.behaviour.delete) await this.behaviour.delete(id, actor);
      else await super.delete(id);
      if (!this.auditsItself("delete")) {
        await recordAudit(this.prisma, {
          ...actorAudit(actor),
          action: "delete",
          entity: this.model.name,
          entityId: id,
          changes: before?.params ?? null,
        });
      }
    } catch (error) {
      throw toValidationError(error);
    }
  }
}

/**
 * A record whose JSON never carries a password-type property: AdminJS merges the
 * submitted form into the record before answering, so the User create and edit
 * responses echoed the new password.
 */
class SiparioRecord extends BaseRecord {
  override toJSON(currentAdmin?: Parameters<BaseRecord["toJSON"]>[0]) {
    const json = super.toJSON(currentAdmin);
    const properties = this.resource.decorate().properties;
    const secret = Object.keys(json.params).filter((key) => Object.hasOwn(properties, key) && properties[key]!.type() === "password");
    if (secret.length) {
      json.params = { ...json.params };
      for (const key of secret) delete json.params[key];
    }
    return json;
  }
}

function isBadFilter(error: unknown): boolean {
  const e = error as { name?: string; code?: string };
  if (e?.name === "PrismaClientValidationError") return true;
  const code = pgErrorOf(error)?.code;
  // 22P02: invalid text representation (a malformed uuid or number in a filter)
  return code === "22P02" || code === "22007" || code === "22008" || e?.code === "P2023";
}
