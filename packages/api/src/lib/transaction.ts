import { pgErrorOf, type Prisma, type PrismaClient } from "@sipario/db";
import { isTransientDatabaseError } from "../errors.ts";

/** The client handed to an interactive transaction callback. */
export type Tx = Prisma.TransactionClient;

const MAX_ATTEMPTS = 4;

/** Serialization failures, deadlocks and Prisma's write-conflict code: safe to run again. */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  if (code === "P2034") return true;
  const pgCode = pgErrorOf(error)?.code;
  if (pgCode === "40001" || pgCode === "40P01") return true;
  const message = String((error as Error)?.message ?? "");
  if (/deadlock detected|could not serialize access/i.test(message)) return true;
  return isTransientDatabaseError(error) && /40001|40P01/.test(message);
}

/**
 * Runs `fn` in one interactive transaction, retrying a few times (with jitter) when
 * PostgreSQL aborts it for a serialization failure or deadlock. DomainErrors and other
 * errors pass through unchanged. Waits long enough for a pool connection under a burst
 * (maxWait) instead of failing the request.
 */
export async function withTransaction<T>(prisma: PrismaClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(fn, { maxWait: 15_000, timeout: 20_000 });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
      await new Promise((r) => setTimeout(r, 10 * 2 ** attempt + Math.random() * 25));
    }
  }
}
