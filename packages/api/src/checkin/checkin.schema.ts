import { z } from "zod";
import { tokenInputSchema } from "../tickets/tokens.ts";

/** `{ token }` of checkin.preview and checkin.confirm: the bare ticket token (clients strip the URL). */
export const checkInTokenInputSchema = tokenInputSchema;

const uuid = z.uuid("Not a valid id");

export const manualCheckInInputSchema = z.object({ reservationId: uuid }).strict();
export type ManualCheckInInput = z.infer<typeof manualCheckInInputSchema>;

export const doorStatsInputSchema = z.object({ performanceId: uuid }).strict();
export type DoorStatsInput = z.infer<typeof doorStatsInputSchema>;

export const searchInputSchema = z
  .object({
    performanceId: uuid,
    q: z.string().trim().min(2, "Type at least two letters").max(100),
  })
  .strict();
export type SearchInput = z.infer<typeof searchInputSchema>;
