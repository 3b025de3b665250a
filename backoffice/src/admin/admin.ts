import "./env.ts";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AppConfig } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import AdminJS, { type BrandingOptions, ComponentLoader } from "adminjs";
import { loadDmmf } from "./dmmf.ts";
import { SYSTEM_FONTS } from "./no-third-party.ts";
import { buildResources } from "./resources/index.ts";
import { waitlistTranslations } from "./resources/waitlist-entry.ts";
import type { Services } from "./services.ts";

const componentsDir = fileURLToPath(new URL("./components/", import.meta.url));

export const ADMIN_ROOT = "/admin";

/** The AdminJS instance: resources, dashboard and branding. Does no I/O but reading the schema. */
export async function createAdmin(deps: { prisma: PrismaClient; config: AppConfig; services: Services }): Promise<AdminJS> {
  const componentLoader = new ComponentLoader();
  const components = {
    Dashboard: componentLoader.add("SiparioDashboard", join(componentsDir, "Dashboard.jsx")),
    ActionConfirm: componentLoader.add("SiparioActionConfirm", join(componentsDir, "ActionConfirm.jsx")),
    ExportCsv: componentLoader.add("SiparioExportCsv", join(componentsDir, "ExportCsv.jsx")),
    PersonalData: componentLoader.add("SiparioPersonalData", join(componentsDir, "PersonalData.jsx")),
  };
  const dmmf = await loadDmmf();
  const admin = new AdminJS({
    rootPath: ADMIN_ROOT,
    loginPath: `${ADMIN_ROOT}/login`,
    logoutPath: `${ADMIN_ROOT}/logout`,
    componentLoader,
    resources: buildResources({ ...deps, dmmf, components }),
    dashboard: { component: components.Dashboard, handler: async () => deps.services.dashboard() },
    branding: {
      companyName: "Sipario",
      withMadeWithLove: false,
      logo: false,
      // The design system types every theme key as a record; font is a plain string (its
      // default is "'Roboto', sans-serif", from Google Fonts), which its merge handles.
      theme: { font: SYSTEM_FONTS } as unknown as BrandingOptions["theme"],
    },
    locale: {
      language: "en",
      // AdminJS ships Italian: admins can switch from the top bar.
      availableLanguages: ["en", "it"],
      translations: {
        it: {
          labels: { ...waitlistTranslations.it.labels, DoorScan: "Ingressi senza rete" },
          messages: { invalidCredentials: "Email o password non corretti." },
          components: { Login: { welcomeHeader: "Back-office Sipario", welcomeMessage: "Accedi con un account amministratore." } },
          resources: {
            AuditLog: { properties: { changesText: "Modifiche", actorLabel: "Chi" } },
            Reservation: {
              properties: { showTitle: "Titolo dello spettacolo" },
              actions: {
                confirmManually: "Conferma prenotazione",
                cancelReservation: "Annulla prenotazione",
                resendConfirmation: "Invia un nuovo link di conferma",
                resendTicket: "Invia di nuovo il biglietto",
                checkInManually: "Registra ingresso",
                bulkCancel: "Annulla selezionate",
                erasePerson: "Cancella i dati di questa persona",
                personalData: "Dati di questa persona",
              },
            },
            Performance: { actions: { exportCsv: "Esporta elenco", reservations: "Prenotazioni" } },
            EmailOutbox: { actions: { retry: "Riprova l'invio" } },
            DoorScan: {
              properties: {
                reservation: "Prenotazione",
                scannedAt: "Scansionato alle",
                receivedAt: "Ricevuto alle",
                user: "Staff",
                deviceId: "Telefono",
                outcome: "Esito",
                "outcome.checked_in": "Entrato",
                "outcome.already_checked_in": "Già entrato",
                "outcome.refused": "Rifiutato",
                reason: "Motivo",
                conflict: "Entrato due volte",
              },
            },
            ...waitlistTranslations.it.resources,
          },
        },
        en: {
          labels: { ...waitlistTranslations.en.labels, DoorScan: "Offline door scans" },
          messages: { invalidCredentials: "Wrong email or password." },
          resources: {
            AuditLog: { properties: { changesText: "Changes", actorLabel: "Who" } },
            Reservation: {
              properties: { showTitle: "Show title" },
              actions: {
                confirmManually: "Confirm reservation",
                cancelReservation: "Cancel reservation",
                resendConfirmation: "Send a new confirmation link",
                resendTicket: "Send the ticket again",
                checkInManually: "Check in",
                bulkCancel: "Cancel selected",
                erasePerson: "Erase this person's data",
                personalData: "This person's data",
              },
            },
            Performance: { actions: { exportCsv: "Export list", reservations: "Reservations" } },
            EmailOutbox: { actions: { retry: "Retry sending" } },
            DoorScan: {
              properties: {
                reservation: "Reservation",
                scannedAt: "Scanned at",
                receivedAt: "Received at",
                user: "Staff",
                deviceId: "Phone",
                outcome: "Outcome",
                "outcome.checked_in": "Checked in",
                "outcome.already_checked_in": "Already checked in",
                "outcome.refused": "Refused",
                reason: "Reason",
                conflict: "Got in twice",
              },
            },
            ...waitlistTranslations.en.resources,
          },
          components: { Login: { welcomeHeader: "Sipario back-office", welcomeMessage: "Sign in with an admin account." } },
        },
      },
    },
    settings: { defaultPerPage: 20 },
  });
  return admin;
}

/**
 * AdminJS (outside production) serves the bundle of our components from its directory
 * if the file exists, even when the components changed since. Remove it at start so the
 * first page load bundles the current ones.
 */
export async function clearStaleBundle(): Promise<void> {
  if (process.env.NODE_ENV === "production") return;
  await rm(join(process.env.ADMIN_JS_TMP_DIR!, "bundle.js"), { force: true });
}
