-- CreateEnum
CREATE TYPE "DoorScanOutcome" AS ENUM ('checked_in', 'already_checked_in', 'refused');

-- AlterTable
ALTER TABLE "CheckIn" ADD COLUMN     "scanId" UUID;

-- CreateTable
CREATE TABLE "DoorScan" (
    "id" UUID NOT NULL,
    "deviceId" VARCHAR(64) NOT NULL,
    "userId" UUID NOT NULL,
    "reservationId" UUID,
    "scannedAt" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" "DoorScanOutcome" NOT NULL,
    "reason" VARCHAR(60),
    "conflict" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "DoorScan_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DoorScan_reservationId_idx" ON "DoorScan"("reservationId");

-- CreateIndex
CREATE INDEX "DoorScan_conflict_receivedAt_idx" ON "DoorScan"("conflict", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CheckIn_scanId_key" ON "CheckIn"("scanId");

-- AddForeignKey
ALTER TABLE "DoorScan" ADD CONSTRAINT "DoorScan_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DoorScan" ADD CONSTRAINT "DoorScan_reservationId_fkey" FOREIGN KEY ("reservationId") REFERENCES "Reservation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
