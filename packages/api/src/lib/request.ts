import type { UserRole } from "@sipario/db";

// What a request brings to the services, whoever serves it (tRPC, the back-office, tests).

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
}

/** Cookie access, shaped like SvelteKit's `event.cookies` so the site passes it through. */
export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, options: CookieOptions): void;
  delete(name: string, options: { path: string }): void;
}
export interface CookieOptions {
  path: string;
  httpOnly: boolean;
  sameSite: "lax" | "strict";
  secure: boolean;
  expires?: Date;
  maxAge?: number;
}
