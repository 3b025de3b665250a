import type { PrismaClient } from "@sipario/db";
import { DomainError } from "../errors.ts";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import { isUuid } from "../lib/ids.ts";

/**
 * Puts a failed email back in the queue: status pending, due now, attempt counter reset.
 * Only failed ones: a pending email may be in a worker's hands right now (leased), and a
 * sent one has no body left, so neither is ever sent twice from here.
 * Throws DomainError not_found, invalid_input (not failed).
 */
export async function retryEmail(prisma: PrismaClient, outboxId: string, actor: Actor, now = new Date()) {
  if (!isUuid(outboxId)) throw new DomainError("not_found", "Email not found.");
  return prisma.$transaction(async (tx) => {
    const updated = await tx.emailOutbox.updateMany({
      where: { id: outboxId, status: "failed" },
      data: { status: "pending", nextAttemptAt: now, attempts: 0 },
    });
    if (updated.count !== 1) {
      const exists = await tx.emailOutbox.findUnique({ where: { id: outboxId }, select: { status: true } });
      if (!exists) throw new DomainError("not_found", "Email not found.");
      throw new DomainError("invalid_input", `Only a failed email can be retried; this one is ${exists.status}.`);
    }
    await recordAudit(tx, { ...actorAudit(actor), action: "email.retry", entity: "EmailOutbox", entityId: outboxId });
    return tx.emailOutbox.findUniqueOrThrow({
      where: { id: outboxId },
      select: { id: true, status: true, attempts: true, nextAttemptAt: true, toAddress: true, subject: true, kind: true },
    });
  });
}
