-- CreateEnum
CREATE TYPE "ReservationSource" AS ENUM ('online', 'box_office', 'waitlist');

-- CreateEnum
CREATE TYPE "PerformanceStatus" AS ENUM ('scheduled', 'cancelled');

-- AlterTable
ALTER TABLE "Performance" ADD COLUMN     "bookingClosesAt" TIMESTAMPTZ(3),
ADD COLUMN     "bookingOpensAt" TIMESTAMPTZ(3),
ADD COLUMN     "cancelledAt" TIMESTAMPTZ(3),
ADD COLUMN     "status" "PerformanceStatus" NOT NULL DEFAULT 'scheduled';

-- AlterTable
ALTER TABLE "Reservation" ADD COLUMN     "source" "ReservationSource" NOT NULL DEFAULT 'online',
ALTER COLUMN "email" DROP NOT NULL;

-- Constraints Prisma cannot express (see docs/adr/0001).
-- Only the box office books for someone without an email (a walk-in, a phone call).
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_email_unless_box_office"
  CHECK ("email" IS NOT NULL OR "source" = 'box_office');
-- Every email to a visitor is written in one of the two languages we have templates for.
UPDATE "Reservation" SET "locale" = 'it' WHERE "locale" NOT IN ('it', 'en');
ALTER TABLE "Reservation" ADD CONSTRAINT "Reservation_locale_known"
  CHECK ("locale" IN ('it', 'en'));
-- A cancelled performance always says when; a scheduled one never does.
ALTER TABLE "Performance" ADD CONSTRAINT "Performance_cancelled_at_matches_status"
  CHECK (("status" = 'cancelled') = ("cancelledAt" IS NOT NULL));
ALTER TABLE "Performance" ADD CONSTRAINT "Performance_booking_window_ordered"
  CHECK ("bookingOpensAt" IS NULL OR "bookingClosesAt" IS NULL OR "bookingOpensAt" < "bookingClosesAt");
