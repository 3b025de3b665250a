-- AlterTable
ALTER TABLE "User" ADD COLUMN     "adminLocale" VARCHAR(8);

-- AlterTable
ALTER TABLE "Venue" ADD COLUMN     "defaultCapacity" INTEGER;

-- The back-office speaks these two languages; anything else would fall back silently.
ALTER TABLE "User" ADD CONSTRAINT "User_adminLocale_check" CHECK ("adminLocale" IS NULL OR "adminLocale" IN ('it', 'en'));

-- Same bounds as a performance's roomCapacity.
ALTER TABLE "Venue" ADD CONSTRAINT "Venue_defaultCapacity_check" CHECK ("defaultCapacity" IS NULL OR "defaultCapacity" >= 0);
