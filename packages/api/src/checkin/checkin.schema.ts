import { z } from "zod";
import { lineText } from "../lib/text.ts";
import { rawTokenSchema } from "../lib/tokens.ts";
import { MAX_SCANS_PER_SYNC } from "./door.service.ts";

const uuid = z.uuid("Not a valid id");

/**
 * `{ token, performanceId? }` of checkin.preview and checkin.confirm: the bare ticket token
 * (clients strip the URL) and, optionally, the performance this door admits.
 */
export const checkInTokenInputSchema = z.object({ token: rawTokenSchema, performanceId: uuid.optional() }).strict();
export type CheckInTokenInput = z.infer<typeof checkInTokenInputSchema>;

export const manifestInputSchema = z.object({ performanceId: uuid, since: lineText().max(40).optional() }).strict();
export type ManifestInput = z.infer<typeof manifestInputSchema>;

export const syncInputSchema = z
  .object({
    /** The door's own id (random, kept on the device): names the door in reports. */
    deviceId: lineText()
      .min(8)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, "Malformed device id"),
    scans: z
      .array(z.object({ id: uuid, token: rawTokenSchema, scannedAt: z.iso.datetime({ offset: true }) }).strict())
      .max(MAX_SCANS_PER_SYNC, `At most ${MAX_SCANS_PER_SYNC} scans per sync`),
  })
  .strict();
export type SyncInput = z.infer<typeof syncInputSchema>;

export const undoInputSchema = z.object({ reservationId: uuid }).strict();
export type UndoInput = z.infer<typeof undoInputSchema>;

export const manualCheckInInputSchema = z.object({ reservationId: uuid }).strict();
export type ManualCheckInInput = z.infer<typeof manualCheckInInputSchema>;

export const doorStatsInputSchema = z.object({ performanceId: uuid }).strict();
export type DoorStatsInput = z.infer<typeof doorStatsInputSchema>;

/**
 * The door's search: part of a name, or a whole email (matched exactly, never by prefix),
 * at least three characters, for one of today's performances.
 */
export const searchInputSchema = z
  .object({
    performanceId: uuid,
    q: lineText().min(3, "Type at least three characters").max(254),
  })
  .strict();
export type SearchInput = z.infer<typeof searchInputSchema>;
