import type { Prisma, PrismaClient } from "@sipario/db";

type Db = PrismaClient | Prisma.TransactionClient;

/** Who did it, for the audit log (a back-office user, a script...). */
export interface Actor {
  userId?: string | null;
  label?: string;
}

/** The audit columns that name `actor`; without one, the system acted. */
export function actorAudit(actor: Actor | null | undefined): Pick<AuditEntry, "userId" | "actorLabel"> {
  return { userId: actor?.userId ?? null, actorLabel: actor?.label };
}

export interface AuditEntry {
  /** The signed-in user who acted; null for the system (jobs, CLI). */
  userId: string | null;
  /** A readable actor name kept even if the user is deleted later (their email). */
  actorLabel?: string;
  /** e.g. "create", "edit", "delete", "reservation.cancel". */
  action: string;
  /** The model name, e.g. "Performance". */
  entity: string;
  entityId?: string | null;
  changes?: Record<string, unknown> | null;
}

// Keys whose values must never reach the audit log, at any depth.
const SECRET_KEY = /password|token|hash|secret|cookie|session/i;
const MAX_DEPTH = 4;

/** Copies `value` without secret-looking keys; dates become ISO strings. */
export function scrubChanges(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[…]";
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => scrubChanges(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEY.test(key) ? "[redacted]" : scrubChanges(v, depth + 1);
  }
  return out;
}

/**
 * Appends one row to the audit log. Invariant: `changes` never holds a password, a
 * token or a hash (keys matching /password|token|hash|secret|cookie|session/ are
 * replaced by "[redacted]"). Throws only what the database throws.
 */
export async function recordAudit(db: Db, entry: AuditEntry) {
  return db.auditLog.create({
    data: {
      userId: entry.userId,
      actorLabel: (entry.actorLabel ?? "").slice(0, 254),
      action: entry.action.slice(0, 60),
      entity: entry.entity.slice(0, 60),
      entityId: entry.entityId?.slice(0, 64) ?? null,
      changes: entry.changes ? (scrubChanges(entry.changes) as Prisma.InputJsonValue) : undefined,
    },
  });
}

/** The fields whose values differ between two snapshots, as { field: { from, to } }. */
export function diffRecords(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === "updatedAt" || key === "createdAt") continue;
    const a = scrubChanges(before[key]);
    const b = scrubChanges(after[key]);
    if (JSON.stringify(a) !== JSON.stringify(b)) diff[key] = { from: a, to: b };
  }
  return diff;
}
