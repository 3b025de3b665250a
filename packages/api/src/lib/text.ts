import { z } from "zod";

/**
 * Text that reaches us from a client. Control characters have no business in it: NUL is
 * refused by PostgreSQL (error 22021, which used to answer 500 from checkin.search), and
 * the others forge log lines, inject mail headers or hide text. Every tRPC input string
 * is built from these helpers (input-text.test.ts walks every procedure to hold that),
 * so such input answers 400 `invalid_input` with this message before any service runs.
 */
export const CONTROL_CHARACTER_MESSAGE = "Contains a control character";

// C0 controls, DEL and the C1 controls.
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// The same, but tab, line feed and carriage return are allowed (a note typed in a textarea).
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** One line of text, trimmed, with no control character. Chain `.min()`, `.max()`, `.regex()`. */
export function lineText() {
  return z
    .string()
    .trim()
    .refine((v) => !ANY_CONTROL.test(v), CONTROL_CHARACTER_MESSAGE);
}

/** Text that may span lines (tabs and line breaks allowed), trimmed, no other control character. */
export function multiLineText() {
  return z
    .string()
    .trim()
    .refine((v) => !CONTROL_BUT_LINE_BREAKS.test(v), CONTROL_CHARACTER_MESSAGE);
}

/** An email address: trimmed, lower-cased, at most 254 characters, no control character. */
export function emailText(message = "Invalid email address") {
  return lineText().toLowerCase().max(254).pipe(z.email(message));
}

/**
 * A password as typed: not trimmed (spaces may be part of it), no control character,
 * bounded so argon2 never hashes megabytes.
 */
export function passwordText() {
  return z
    .string()
    .max(512)
    .refine((v) => !ANY_CONTROL.test(v), CONTROL_CHARACTER_MESSAGE);
}
