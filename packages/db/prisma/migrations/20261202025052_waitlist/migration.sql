-- CreateEnum
CREATE TYPE "WaitlistStatus" AS ENUM ('pending', 'waiting', 'offered', 'booked', 'lapsed', 'left', 'closed');

-- CreateEnum
CREATE TYPE "WaitlistTokenPurpose" AS ENUM ('verify', 'manage');

-- AlterTable
ALTER TABLE "Reservation" ADD COLUMN     "offerExpiresAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "WaitlistEntry" (
    "id" UUID NOT NULL,
    "performanceId" UUID NOT NULL,
    "status" "WaitlistStatus" NOT NULL DEFAULT 'pending',
    "name" VARCHAR(200) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "phone" VARCHAR(40),
    "partySize" INTEGER NOT NULL,
    "locale" VARCHAR(8) NOT NULL DEFAULT 'it',
    "queueRank" INTEGER,
    "confirmedAt" TIMESTAMPTZ(3),
    "reservationId" UUID,
    "offeredAt" TIMESTAMPTZ(3),
    "offerExpiresAt" TIMESTAMPTZ(3),
    "passedOverReason" VARCHAR(40),
    "passedOverSeats" INTEGER,
    "passedOverAt" TIMESTAMPTZ(3),
    "endedReason" VARCHAR(40),
    "endedAt" TIMESTAMPTZ(3),
    "anonymizedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WaitlistEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WaitlistToken" (
    "id" UUID NOT NULL,
    "entryId" UUID NOT NULL,
    "purpose" "WaitlistTokenPurpose" NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WaitlistToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WaitlistEntry_reservationId_key" ON "WaitlistEntry"("reservationId");

-- CreateIndex
CREATE INDEX "WaitlistEntry_performanceId_status_queueRank_idx" ON "WaitlistEntry"("performanceId", "status", "queueRank");

-- CreateIndex
CREATE INDEX "WaitlistEntry_status_offerExpiresAt_idx" ON "WaitlistEntry"("status", "offerExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "WaitlistToken_tokenHash_key" ON "WaitlistToken"("tokenHash");

-- CreateIndex
CREATE INDEX "WaitlistToken_entryId_idx" ON "WaitlistToken"("entryId");

-- AddForeignKey
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_performanceId_fkey" FOREIGN KEY ("performanceId") REFERENCES "Performance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_reservationId_fkey" FOREIGN KEY ("reservationId") REFERENCES "Reservation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WaitlistToken" ADD CONSTRAINT "WaitlistToken_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "WaitlistEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Constraints Prisma cannot express (see docs/adr/0001 and docs/adr/0009).
-- One active entry (not yet verified, waiting, or holding an offer) per email and performance.
CREATE UNIQUE INDEX "WaitlistEntry_one_active_per_email" ON "WaitlistEntry"("performanceId", "email")
  WHERE "status" IN ('pending', 'waiting', 'offered');
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_party_size_positive" CHECK ("partySize" >= 1);
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_locale_known" CHECK ("locale" IN ('it', 'en'));
-- An entry is in the queue only once verified; an offered entry always says until when.
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_queued_when_verified"
  CHECK ("status" NOT IN ('waiting', 'offered') OR ("queueRank" IS NOT NULL AND "confirmedAt" IS NOT NULL));
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_offer_has_deadline"
  CHECK ("status" <> 'offered' OR "offerExpiresAt" IS NOT NULL);
-- Held offers are summed per performance among pending reservations.
CREATE INDEX "Reservation_held_offers_idx" ON "Reservation"("performanceId") WHERE "status" = 'pending' AND "offerExpiresAt" IS NOT NULL;
