-- AlterTable
ALTER TABLE "Performance" ADD COLUMN     "note" VARCHAR(300) NOT NULL DEFAULT '',
ADD COLUMN     "noteEn" VARCHAR(300) NOT NULL DEFAULT '',
ADD COLUMN     "surtitles" VARCHAR(8);

-- AlterTable
ALTER TABLE "Show" ADD COLUMN     "ageGuidance" VARCHAR(200) NOT NULL DEFAULT '',
ADD COLUMN     "ageGuidanceEn" VARCHAR(200) NOT NULL DEFAULT '',
ADD COLUMN     "credits" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "creditsEn" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "descriptionEn" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "language" VARCHAR(8) NOT NULL DEFAULT 'it',
ADD COLUMN     "runningTimeMinutes" INTEGER,
ADD COLUMN     "summaryEn" VARCHAR(500) NOT NULL DEFAULT '',
ADD COLUMN     "titleEn" VARCHAR(200) NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Venue" ADD COLUMN     "accessInfo" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "accessInfoEn" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "nameEn" VARCHAR(200) NOT NULL DEFAULT '',
ADD COLUMN     "notesEn" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "transport" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "transportEn" TEXT NOT NULL DEFAULT '';

-- A running time is a positive number of minutes, at most a day.
ALTER TABLE "Show" ADD CONSTRAINT "Show_runningTimeMinutes_check" CHECK ("runningTimeMinutes" IS NULL OR "runningTimeMinutes" BETWEEN 1 AND 1440);
