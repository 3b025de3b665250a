import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PrismaClient } from "@sipario/db";
import sharp, { type Metadata, type OutputInfo } from "sharp";
import { type Actor, actorAudit, recordAudit } from "../audit/audit.service.ts";
import type { AppConfig } from "../config.ts";
import { DomainError } from "../errors.ts";
import { isUuid } from "../lib/ids.ts";

/** What an uploaded poster may be, and what the site gets. */
export const POSTER_LIMITS = {
  /** The file as sent (a phone photo is 3-8 MB). */
  maxBytes: 12 * 1024 * 1024,
  /** Decoded size: refuses decompression bombs before they are decoded. */
  maxPixels: 50_000_000,
  /** The smallest side that still looks sharp on the show page. */
  minSide: 200,
  /** The web size: fits in 800×1200 (the page shows it at 400×600, twice for dense screens). */
  width: 800,
  height: 1200,
} as const;

/** The site serves uploaded posters under this path (site/src/routes/posters/uploads). */
export const POSTER_URL_PREFIX = "/posters/uploads/";
/** An uploaded poster's file name: the hash of its content, so it can be cached for ever. */
export const POSTER_FILE_NAME = /^[0-9a-f]{32}\.webp$/;

/** Why an upload was refused: the back-office shows each in the admin's language. */
export type PosterProblem = "too_big" | "not_an_image" | "wrong_type" | "too_many_pixels" | "too_small";

const refuse = (problem: PosterProblem, message: string) => new DomainError("invalid_input", message, { field: "posterImage", problem });

/**
 * Stores an uploaded poster for a show: the content must be a JPEG, PNG or WebP (read from
 * the bytes, never the file name or declared type), at most POSTER_LIMITS.maxBytes and
 * maxPixels, at least minSide on each side. It is turned upright, resized to fit the web
 * size, re-encoded as WebP without its metadata (no camera or GPS data), written under
 * POSTER_DIR with a content-hash name, and set as the show's posterImage, audited.
 * Throws invalid_input (details.problem) or not_found.
 */
export async function storePoster(
  prisma: PrismaClient,
  config: Pick<AppConfig, "posterDir">,
  showId: string,
  bytes: Buffer,
  actor: Actor | null,
): Promise<{ posterImage: string; width: number; height: number }> {
  const show = isUuid(showId) ? await prisma.show.findUnique({ where: { id: showId }, select: { id: true, posterImage: true } }) : null;
  if (!show) throw new DomainError("not_found", "Show not found.");
  if (bytes.length > POSTER_LIMITS.maxBytes) throw refuse("too_big", `The file is larger than ${POSTER_LIMITS.maxBytes / 1024 / 1024} MB.`);

  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: POSTER_LIMITS.maxPixels }).metadata();
  } catch {
    throw refuse("not_an_image", "The file is not an image.");
  }
  if (meta.format !== "jpeg" && meta.format !== "png" && meta.format !== "webp") throw refuse("wrong_type", "Upload a JPEG, PNG or WebP image.");
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > POSTER_LIMITS.maxPixels)
    throw refuse("too_many_pixels", `The image has more than ${POSTER_LIMITS.maxPixels / 1_000_000} million pixels.`);
  if (Math.min(width, height) < POSTER_LIMITS.minSide) throw refuse("too_small", `The image is smaller than ${POSTER_LIMITS.minSide} pixels on a side.`);

  let output: { data: Buffer; info: OutputInfo };
  try {
    output = await sharp(bytes, { limitInputPixels: POSTER_LIMITS.maxPixels, failOn: "error" })
      .rotate()
      .resize({ width: POSTER_LIMITS.width, height: POSTER_LIMITS.height, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw refuse("not_an_image", "The image could not be read (damaged or truncated file).");
  }
  const name = `${createHash("sha256").update(output.data).digest("hex").slice(0, 32)}.webp`;
  await mkdir(config.posterDir, { recursive: true });
  // Written aside, then renamed: the site never serves half a file.
  const temporary = join(config.posterDir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
  await writeFile(temporary, output.data);
  await rename(temporary, join(config.posterDir, name));

  const posterImage = `${POSTER_URL_PREFIX}${name}`;
  await prisma.$transaction(async (tx) => {
    await tx.show.update({ where: { id: show.id }, data: { posterImage } });
    await recordAudit(tx, {
      ...actorAudit(actor),
      action: "show.poster",
      entity: "Show",
      entityId: show.id,
      changes: { posterImage: { from: show.posterImage, to: posterImage } },
    });
  });
  return { posterImage, width: output.info.width, height: output.info.height };
}

/** The file of an uploaded poster under POSTER_DIR, or null for any name the upload never makes. */
export function posterFile(config: Pick<AppConfig, "posterDir">, name: string): string | null {
  return POSTER_FILE_NAME.test(name) ? join(config.posterDir, name) : null;
}
