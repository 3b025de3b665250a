// The unsafe variants that race tests' control runs inject, to prove the tests can fail.
// Test-only: nothing outside testing/ imports this module.
import type { OnlineAdmission } from "../checkin/checkin.service.ts";
import type { AdmissionWriter } from "../checkin/door.service.ts";

/**
 * checkin.confirm's writer done the naive way: the caller has checked that nobody is in,
 * so insert. Two doors scanning the same ticket at once both pass that check; with the
 * unique index the second insert fails, without it the party is admitted twice.
 */
export const unsafeOnlineAdmission: OnlineAdmission = async (prisma, claim) => {
  const created = await prisma.checkIn.create({
    data: { reservationId: claim.reservationId, checkedInById: claim.staffId, source: claim.source },
    select: { checkedInAt: true },
  });
  return created.checkedInAt;
};

/**
 * checkin.sync's writer done the naive way: read the reservation's CheckIn, then insert or
 * update. Two doors syncing the same ticket at once both read "none" and both insert: with
 * the unique index that is a 500, without it a duplicate CheckIn.
 */
export const unsafeAdmissionWriter: AdmissionWriter = async (tx, claim) => {
  const existing = await tx.checkIn.findFirst({
    where: { reservationId: claim.reservationId },
    orderBy: { checkedInAt: "asc" },
    include: { checkedInBy: { select: { name: true, email: true } } },
  });
  if (!existing) {
    // Widen the gap between the read and the write, as a busy server would.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await tx.checkIn.create({
      data: { reservationId: claim.reservationId, checkedInById: claim.userId, checkedInAt: claim.scannedAt, source: "qr_scan", scanId: claim.scanId },
    });
    return { kind: "admitted", checkedInAt: claim.scannedAt, displaced: null };
  }
  const holder = {
    checkedInAt: existing.checkedInAt,
    checkedInById: existing.checkedInById,
    checkedInBy: existing.checkedInBy.name || existing.checkedInBy.email,
    scanId: existing.scanId,
  };
  if (existing.checkedInAt <= claim.scannedAt) return { kind: "earlier_holder", holder };
  await tx.checkIn.update({
    where: { id: existing.id },
    data: { checkedInAt: claim.scannedAt, checkedInById: claim.userId, scanId: claim.scanId },
  });
  return { kind: "admitted", checkedInAt: claim.scannedAt, displaced: holder };
};
