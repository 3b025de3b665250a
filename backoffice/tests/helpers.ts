import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { AppConfig } from "@sipario/api";
import { testConfig } from "@sipario/api/testing";
import { createTestDatabase, type TestDatabase } from "@sipario/db/testing";
import { chromium, type Browser, type Page } from "playwright-core";
import { createBackofficeApp, type BackofficeApp } from "../src/app.ts";

export interface Harness {
  db: TestDatabase;
  config: AppConfig;
  app: BackofficeApp;
  server: Server;
  base: string;
  stop(): Promise<void>;
}

/** One back-office per test file, on a random port, over a database of its own. */
export async function startBackoffice(env: Record<string, string> = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const config = testConfig({ ...(db.url ? { DATABASE_URL: db.url } : {}), ...env });
  const app = await createBackofficeApp({ prisma: db.prisma, config });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The app reads its own origin per request; only now is the port known.
  (config as { backofficeOrigin: string }).backofficeOrigin = base;
  return {
    db,
    config,
    app,
    server,
    base,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
      await db.drop();
    },
  };
}

export function form(fields: Record<string, string | number | boolean>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, String(value));
  return data;
}

/** Signs in through AdminJS's login form; returns the response and the session cookie (if any). */
export async function login(base: string, email: string, password: string) {
  const response = await fetch(`${base}/admin/login`, {
    method: "POST",
    body: form({ email, password }),
    redirect: "manual",
    headers: { origin: base },
  });
  // The session cookie only (a successful login also sets the device cookie).
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("sipario_admin="));
  const cookie = response.status === 302 && setCookie ? setCookie.split(";")[0]! : null;
  return { response, cookie, body: response.status === 302 ? "" : await response.text() };
}

// AdminJS's JSON answers are loosely shaped; tests read them as plain JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
export interface ApiAnswer {
  status: number;
  location: string | null;
  json: Json;
}

/** A client of AdminJS's REST API under /admin/api with a session cookie. */
export function adminApi(base: string, cookie: string | null) {
  const headers = { ...(cookie ? { cookie } : {}), origin: base };
  return {
    async get(path: string): Promise<ApiAnswer> {
      const response = await fetch(`${base}/admin/api${path}`, { headers, redirect: "manual" });
      return { status: response.status, location: response.headers.get("location"), json: response.status === 200 ? await response.json() : null };
    },
    async post(path: string, fields: Record<string, string | number | boolean> = {}): Promise<ApiAnswer> {
      const response = await fetch(`${base}/admin/api${path}`, { method: "POST", body: form(fields), headers, redirect: "manual" });
      return { status: response.status, location: response.headers.get("location"), json: response.status === 200 ? await response.json() : null };
    },
  };
}

/** Debian's Chromium, headless, with nothing that phones home (the machine is offline). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Signs `page` in to the back-office through the real login form and waits for the
 * dashboard. Requests to any other origin are aborted first: no back-office page may make
 * one (issue 17), and a test should not wait on the network for it.
 */
export async function signInPage(page: Page, base: string, credentials: { email: string; password: string }): Promise<void> {
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  await page.goto(`${base}/admin/login`);
  await page.fill('input[name="email"]', credentials.email);
  await page.fill('input[name="password"]', credentials.password);
  await page.click('form[action="/admin/login"] button');
  await page.waitForSelector('[data-testid="sipario-dashboard"]', { timeout: 120_000 });
}
