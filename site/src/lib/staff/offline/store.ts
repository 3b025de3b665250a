// What a door keeps on the phone so it can work without a network (ADR-0009): the
// manifests of tonight's performances (hashes only), the scans it admitted offline, and its
// own settings. IndexedDB, through `idb`: it survives a reload and a browser restart.
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { ManifestTicket } from "../types.ts";

export interface StoredManifest {
  performanceId: string;
  showTitle: string;
  startsAt: string;
  venue: { name: string };
  cursor: string;
  /** tokenHash -> entry */
  tickets: Record<string, ManifestTicket>;
  fetchedAt: string;
}

export interface QueuedScan {
  /** Client-generated UUID: checkin.sync is idempotent on it. */
  id: string;
  /** The raw token, needed by checkin.sync; dropped as soon as the server has the scan. */
  token: string | null;
  tokenHash: string;
  performanceId: string;
  partySize: number;
  scannedAt: string;
  state: "queued" | "synced";
  outcome?: "checked_in" | "already_checked_in" | "duplicate" | "refused";
  reason?: string;
  conflict?: boolean;
}

interface DoorDB extends DBSchema {
  manifests: { key: string; value: StoredManifest };
  scans: { key: string; value: QueuedScan; indexes: { byState: string } };
  settings: { key: string; value: unknown };
}

const DB_NAME = "sipario-door";
let opened: Promise<IDBPDatabase<DoorDB>> | null = null;

function db(): Promise<IDBPDatabase<DoorDB>> {
  opened ??= openDB<DoorDB>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore("manifests", { keyPath: "performanceId" });
      database.createObjectStore("scans", { keyPath: "id" }).createIndex("byState", "state");
      database.createObjectStore("settings");
    },
  });
  return opened;
}

export async function getManifest(performanceId: string): Promise<StoredManifest | undefined> {
  return (await db()).get("manifests", performanceId);
}

export async function allManifests(): Promise<StoredManifest[]> {
  return (await db()).getAll("manifests");
}

export async function putManifest(manifest: StoredManifest): Promise<void> {
  await (await db()).put("manifests", manifest);
}

export async function addScan(scan: QueuedScan): Promise<void> {
  await (await db()).put("scans", scan);
}

export async function allScans(): Promise<QueuedScan[]> {
  return (await db()).getAll("scans");
}

export async function queuedScans(): Promise<QueuedScan[]> {
  return (await db()).getAllFromIndex("scans", "byState", "queued");
}

export async function putScans(scans: QueuedScan[]): Promise<void> {
  const tx = (await db()).transaction("scans", "readwrite");
  await Promise.all([...scans.map((s) => tx.store.put(s)), tx.done]);
}

export async function getSetting<T>(key: string): Promise<T | undefined> {
  return (await db()).get("settings", key) as Promise<T | undefined>;
}

export async function putSetting(key: string, value: unknown): Promise<void> {
  await (await db()).put("settings", value, key);
}

/** Sign-out: the manifests and the scan history leave the phone (unsynced scans only if the user insisted). */
export async function wipeDoorData(): Promise<void> {
  const database = await db();
  const tx = database.transaction(["manifests", "scans", "settings"], "readwrite");
  const settings = tx.objectStore("settings");
  // The device id and its admit-on-scan switch stay; cached conflict lists (names) go.
  const named = (await settings.getAllKeys()).filter((key) => String(key).startsWith("conflicts:"));
  await Promise.all([tx.objectStore("manifests").clear(), tx.objectStore("scans").clear(), ...named.map((key) => settings.delete(key)), tx.done]);
}

/** Lowercase hex SHA-256 of a raw token, as the server stores it (Web Crypto). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
