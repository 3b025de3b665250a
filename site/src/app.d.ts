import type { SessionUser } from "@sipario/api";
import type { Locale } from "$lib/i18n";

declare global {
  namespace App {
    interface Locals {
      user: SessionUser | null;
      sessionId: string | null;
      locale: Locale;
      requestId: string;
    }
    interface Error {
      message: string;
      requestId?: string;
      /** Which specific page to show (e.g. ticket_unknown); the message stays generic. */
      code?: string;
      /** A cancelled ticket: when, and which show's other dates to offer. */
      cancelledAt?: string | null;
      show?: { slug: string; title: string; lang: { title: string } };
    }
  }
}

export {};
