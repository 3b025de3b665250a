// `npm run bench`: the orchestrator and load generator. Servers are separate child
// processes (the production build of the site); this process creates the database,
// catches the email, generates the load with undici and measures the raw `pg` baselines.
// See docs/performance.md for how to read the output.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import pg from "pg";
import { generateSessionToken, sessionIdFromToken } from "../packages/api/src/auth/session.service.ts";
import { baselineCheckIn, baselineConfirm, baselineCreate } from "./lib/baselines.ts";
import {
  createBenchDatabase,
  createPerformance,
  createSessions,
  DEFAULT_ADMIN_URL,
  ensureStaffUsers,
  insertConfirmedTickets,
  insertGrowth,
  insertPendingWithTokens,
  insertSoldOutWithWaitlist,
  seedCatalogue,
  type BenchDatabase,
  type Catalogue,
} from "./lib/fixtures.ts";
import { Client, Recorder, round, runConcurrently, runFor, type CallResult, type OpStats } from "./lib/load.ts";
import { backofficeWork, ensureBenchAdmin, startBackoffice, type BackofficeProcess } from "./lib/backoffice.ts";
import { startMailCatcher, type MailCatcher } from "./lib/mail.ts";
import { cpuMs, productionNodeFlags, repoRoot, startServer, type ServerProcess } from "./lib/processes.ts";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const serverCounts = (argv.find((a) => a.startsWith("--servers="))?.slice(10) ?? "1,2").split(",").map(Number);
const only = argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");

const P = quick
  ? {
      seats: 100,
      bookings: 600,
      rushClients: 50,
      doorTickets: 300,
      doors: 8,
      catalogueMs: 3000,
      catalogueClients: 50,
      growthPerf: 40,
      growthRes: 20_000,
      waitlistEntries: 500,
      waitlistSeats: 80,
      waitlistBurst: 20,
    }
  : {
      seats: 500,
      bookings: 5000,
      rushClients: 200,
      doorTickets: 2000,
      doors: 8,
      catalogueMs: 10_000,
      catalogueClients: 50,
      growthPerf: 200,
      growthRes: 100_000,
      waitlistEntries: 2000,
      waitlistSeats: 300,
      waitlistBurst: 30,
    };
// --set=bookings=2000,seats=200 overrides single parameters.
for (const pair of (argv.find((a) => a.startsWith("--set="))?.slice(6) ?? "").split(",").filter(Boolean)) {
  const [key, value] = pair.split("=");
  if (!(key! in P)) throw new Error(`--set: unknown parameter ${key}; known: ${Object.keys(P).join(", ")}`);
  (P as Record<string, number>)[key!] = Number(value);
}
const POOL_PER_PROCESS = 10; // the servers' default DATABASE_POOL_SIZE
/** Issue 12's memory budget: peak RSS (VmHWM) per process. */
const RSS_BUDGET_MIB = { site: 200, backoffice: 250 };

interface Row {
  servers: number;
  scenario: string;
  op: string;
  stats: OpStats;
  baseline?: { what: string; rps: number; p99: number; cpuMsPerReq?: number };
  /** CPU time the server processes spent per request (ms): stable even on a busy machine. */
  cpuMsPerReq?: number;
  /** SQL statements sent by the servers per request (BEGIN/COMMIT included). */
  statementsPerReq?: number;
  ratio?: number;
  target?: string;
  met?: boolean;
}
interface ConfigResult {
  servers: number;
  serverKind: string;
  rows: Row[];
  checks: { name: string; ok: boolean; detail: string }[];
  peakRssMiB: Record<string, number>;
  /** The back-office's peak RSS after a box office's work during the rush (see lib/backoffice.ts). */
  backofficePeakRssMiB?: number;
  explain: { name: string; plan: string; seqScanOnBigTable: boolean; background: boolean }[];
  notes: string[];
}

let serverPids: number[] = [];
let currentServers: ServerProcess[] = [];
const log = (...a: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

async function main() {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_ADMIN_URL;
  // The site and the packages it imports, compiled from the current sources (turbo's cache
  // makes this quick when nothing changed; a stale build would measure old code).
  log("building the site, the back-office and the packages they import (turbo run build)");
  await run("npx", ["turbo", "run", "build", "--filter=@sipario/site...", "--filter=@sipario/backoffice...", "--output-logs=errors-only"], repoRoot);
  const loadAtStart = os.loadavg().map(round);
  const mail = await startMailCatcher();
  const results: ConfigResult[] = [];
  let pgVersion = "";
  for (const n of serverCounts) {
    const db = await createBenchDatabase(adminUrl);
    pgVersion = db.serverVersion;
    log(`servers=${n}: database ${db.name}`);
    const servers: ServerProcess[] = [];
    let backoffice: BackofficeProcess | undefined;
    const cleanup = async () => {
      await Promise.all([...servers.map((s) => s.stop()), backoffice?.stop()]);
      await db.drop();
    };
    process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));
    try {
      for (let i = 0; i < n; i++) servers.push(await startServer({ databaseUrl: db.url, smtpUrl: mail.url, name: `bench-s${n}-${i}` }));
      backoffice = await startBackoffice(db.url, join(repoRoot, "bench", "results", "logs"), productionNodeFlags("backoffice"));
      log(`servers=${n}: ${servers.map((s) => `${s.kind} pid ${s.pid} ${s.origin}`).join(", ")}; back-office pid ${backoffice.pid} ${backoffice.base}`);
      results.push(await runConfig(n, db, servers, mail, backoffice));
    } finally {
      await cleanup();
    }
  }
  await mail.close();

  const report = {
    date: new Date().toISOString(),
    quick,
    parameters: P,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "",
      memoryGiB: round(os.totalmem() / 2 ** 30),
      node: process.version,
      postgres: pgVersion,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: os.loadavg().map(round),
    },
    results,
  };
  mkdirSync(join(repoRoot, "bench", "results"), { recursive: true });
  const file = join(repoRoot, "bench", "results", `bench-${report.date.replace(/[:.]/g, "-")}${quick ? "-quick" : ""}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(markdown(report));
  console.log(`\nJSON: ${file}`);
  const failedChecks = results.flatMap((r) => r.checks.filter((c) => !c.ok));
  if (failedChecks.length) process.exitCode = 1;
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: "inherit" });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

async function runConfig(n: number, db: BenchDatabase, servers: ServerProcess[], mail: MailCatcher, backoffice: BackofficeProcess): Promise<ConfigResult> {
  serverPids = servers.map((s) => s.pid);
  currentServers = servers;
  const result: ConfigResult = { servers: n, serverKind: servers[0]!.kind, rows: [], checks: [], peakRssMiB: {}, explain: [], notes: [] };
  const connections = Math.ceil(Math.max(P.rushClients, P.catalogueClients) / n) + 8;
  const clients = servers.map((s) => new Client(s.origin, s.trpcBase, connections));
  const basePool = new pg.Pool({ connectionString: db.url, max: POOL_PER_PROCESS * n });
  basePool.on("error", () => {});
  const sampleRss = () => {
    for (const s of servers) {
      const v = s.peakRssMiB();
      if (v !== null) result.peakRssMiB[`pid ${s.pid}`] = Math.max(result.peakRssMiB[`pid ${s.pid}`] ?? 0, v);
    }
  };
  const want = (s: string) => !only || only.includes(s);
  try {
    const cat = await seedCatalogue(db.pool);
    await db.pool.query("ANALYZE");
    if (want("catalogue")) result.rows.push(...(await catalogue(n, db, clients, cat, "3. catalogue")));
    sampleRss();
    if (want("rush")) {
      const r = await onSaleRush(n, db, clients, basePool, mail, cat, "1. on-sale rush");
      result.rows.push(...r.rows);
      result.checks.push(...r.checks);
    }
    sampleRss();
    // The box office at work while the sales are open: the back-office's memory budget.
    const busiest = await db.pool.query(`SELECT "performanceId"::text AS id FROM "Reservation" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const admin = await ensureBenchAdmin(db.pool);
    const work = await backofficeWork(backoffice, admin, busiest.rows[0]?.id ?? cat.shows[0]!.id);
    result.backofficePeakRssMiB = backoffice.peakRssMiB() ?? undefined;
    log(`back-office: ${work.requests} requests, peak RSS ${result.backofficePeakRssMiB} MiB`);
    result.checks.push({
      name: `back-office (${n}): every page and export answered`,
      ok: work.failures.length === 0,
      detail: work.failures.length ? work.failures.join("; ") : `${work.requests} requests`,
    });
    if (want("door")) {
      const r = await doorRush(n, db, clients, basePool, mail, cat);
      result.rows.push(...r.rows);
      result.checks.push(...r.checks);
      result.notes.push(...r.notes);
    }
    sampleRss();
    if (want("waitlist")) {
      const r = await waitingList(n, db, clients, cat);
      result.rows.push(...r.rows);
      result.checks.push(...r.checks);
      result.notes.push(...r.notes);
    }
    sampleRss();
    if (want("growth")) {
      const t0 = performance.now();
      await insertGrowth(db.pool, cat, P.growthPerf, P.growthRes);
      const counts = await db.pool.query(
        `SELECT (SELECT count(*) FROM "Reservation")::int AS r, (SELECT count(*) FROM "ReservationToken")::int AS t, (SELECT count(*) FROM "CheckIn")::int AS c, (SELECT count(*) FROM "Performance")::int AS p`,
      );
      const c = counts.rows[0];
      result.notes.push(
        `growth: inserted ${P.growthRes} reservations over ${P.growthPerf} performances in ${round((performance.now() - t0) / 1000)} s; now ${c.r} reservations, ${c.t} tokens, ${c.c} check-ins, ${c.p} performances`,
      );
      log(result.notes.at(-1));
      const r = await onSaleRush(n, db, clients, basePool, mail, cat, "4. growth: on-sale rush");
      result.rows.push(...r.rows);
      result.checks.push(...r.checks);
      sampleRss();
      result.rows.push(...(await catalogue(n, db, clients, cat, "4. growth: catalogue")));
      sampleRss();
      result.explain = await explainHotQueries(db, cat);
      const bad = result.explain.filter((e) => e.seqScanOnBigTable && !e.background);
      const backgroundScans = result.explain.filter((e) => e.seqScanOnBigTable && e.background);
      if (backgroundScans.length)
        result.notes.push(`Seq Scan on a big table in background jobs (not request paths): ${backgroundScans.map((b) => b.name).join(", ")}`);
      result.checks.push({
        name: "no sequential scan on a big table in the hot (request-path) queries",
        ok: bad.length === 0,
        detail: bad.length ? `Seq Scan in: ${bad.map((b) => b.name).join(", ")}` : `${result.explain.length} plans checked`,
      });
    }
    sampleRss();
    const dl = await db.pool.query(`SELECT deadlocks::int AS d FROM pg_stat_database WHERE datname = current_database()`);
    result.checks.push({ name: "no deadlock (pg_stat_database.deadlocks)", ok: dl.rows[0].d === 0, detail: `${dl.rows[0].d} deadlocks` });
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await basePool.end();
  }
  return result;
}

/** Starts counting the CPU time of these processes; the returned function gives ms per request. */
function cpuMeter(pids: number[]): (requests: number) => number {
  const read = () => pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0);
  const start = read();
  return (requests) => (requests > 0 ? round((read() - start) / requests) : 0);
}

/**
 * SQL statements the servers sent per request (counted in the servers' own `pg`, see
 * lib/count-queries.cjs; BEGIN/COMMIT included): an N+1 query shows up here at once.
 * Background jobs add a little (one outbox poll per second per server).
 */
async function statementMeter(): Promise<(requests: number) => Promise<number>> {
  const read = async () => {
    await new Promise((r) => setTimeout(r, 400));
    return currentServers.reduce((sum, s) => sum + s.statements(), 0);
  };
  const start = await read();
  return async (requests) => (requests > 0 ? round(((await read()) - start) / requests) : 0);
}

// ---------------------------------------------------------------- 1. on-sale rush

async function onSaleRush(n: number, db: BenchDatabase, clients: Client[], basePool: pg.Pool, mail: MailCatcher, cat: Catalogue, scenario: string) {
  const rows: Row[] = [];
  const checks: ConfigResult["checks"] = [];
  const tag = `${n}-${Date.now().toString(36)}`;
  const performanceId = await createPerformance(db.pool, cat, P.seats, 24 * 7, 1);

  // Baselines first, on their own performances, while the servers are idle.
  const baseCreatePerf = await createPerformance(db.pool, cat, P.seats, 24 * 7, 1);
  const bc = new Recorder();
  const bcWall = await runConcurrently(range(P.bookings), P.rushClients, async (i) => {
    const t = performance.now();
    const outcome = await baselineCreate(basePool, baseCreatePerf, i, `bc-${tag}-`);
    bc.record("create", { status: outcome === "ok" ? 200 : 409, reason: outcome, ms: performance.now() - t });
  });
  const baseConfirmPerf = await createPerformance(db.pool, cat, P.seats, 24 * 7, 1);
  const tokens = await insertPendingWithTokens(db.pool, baseConfirmPerf, P.bookings, `baseline-${tag}-`);
  await db.pool.query("ANALYZE");
  const bf = new Recorder();
  const bfWall = await runConcurrently(tokens, P.rushClients, async (token) => {
    const t = performance.now();
    const outcome = await baselineConfirm(basePool, token);
    bf.record("confirm", { status: outcome === "ok" ? 200 : 409, reason: outcome, ms: performance.now() - t });
  });
  const baseCreate = bc.stats("create", bcWall);
  const baseConfirm = bf.stats("confirm", bfWall);
  log(`${scenario} baseline pg: create ${baseCreate.rps}/s, confirm ${baseConfirm.rps}/s (p99 ${baseConfirm.p99} ms)`);

  // Phase A: everyone books at once.
  const rec = new Recorder();
  const createStatements = await statementMeter();
  const createCpu = cpuMeter(serverPids);
  const created: { i: number; email: string }[] = [];
  const createWall = await runConcurrently(range(P.bookings), P.rushClients, async (i, worker) => {
    const email = `rush-${tag}-${i}@bench.test`;
    const r = await clients[worker % clients.length]!.mutation("booking.create", {
      performanceId,
      name: `Visitatore ${i}`,
      email,
      partySize: 1 + (i % 4),
    });
    rec.record("booking.create", r);
    if (r.status === 200) created.push({ i, email });
  });
  const createCpuMs = createCpu(P.bookings);
  const createStatementsPerReq = await createStatements(P.bookings);
  // The confirmation emails go out through the outbox: wait until all arrived (the
  // outbox delivers some tens of messages per second, so allow for the backlog).
  const mailWaitMs = Math.max(180_000, P.bookings * 150);
  const mailStart = performance.now();
  const withToken = (
    await Promise.all(created.map(async (c) => ({ ...c, token: await mail.waitFor(c.email, "confirm", mailWaitMs).catch(() => null) })))
  ).filter((c) => c.token) as { i: number; email: string; token: string }[];
  const mailSeconds = round((performance.now() - mailStart) / 1000);
  const mailRate = round(withToken.length / (createWall / 1000 + mailSeconds));
  log(`${scenario}: ${created.length} bookings, ${withToken.length} confirmation emails (+${mailSeconds} s after the last answer; ${mailRate} emails/s)`);

  // Phase B: everyone confirms at once; only the first ~seats/2.5 fit.
  const confirmStatements = await statementMeter();
  const confirmCpu = cpuMeter(serverPids);
  const confirmWall = await runConcurrently(withToken, P.rushClients, async (c, worker) => {
    const r = await clients[worker % clients.length]!.mutation("booking.confirm", { token: c.token });
    rec.record("booking.confirm", r);
  });
  const confirmCpuMs = confirmCpu(withToken.length);
  const confirmStatementsPerReq = await confirmStatements(withToken.length);
  const create = rec.stats("booking.create", createWall);
  const confirm = rec.stats("booking.confirm", confirmWall);
  rows.push({
    servers: n,
    scenario,
    op: "booking.create",
    stats: create,
    cpuMsPerReq: createCpuMs,
    statementsPerReq: createStatementsPerReq,
    baseline: { what: "pg create transaction", rps: baseCreate.rps, p99: baseCreate.p99 },
    ratio: ratio(create.rps, baseCreate.rps),
  });
  const confirmRatio = ratio(confirm.rps, baseConfirm.rps);
  rows.push({
    servers: n,
    scenario,
    op: "booking.confirm",
    stats: confirm,
    cpuMsPerReq: confirmCpuMs,
    statementsPerReq: confirmStatementsPerReq,
    baseline: { what: "pg lock-count-confirm transaction", rps: baseConfirm.rps, p99: baseConfirm.p99 },
    ratio: confirmRatio,
    target: ">= 0.5 x baseline, p99 < 250 ms",
    met: confirmRatio >= 0.5 && confirm.p99 < 250,
  });

  const seats = await db.pool.query(
    `SELECT COALESCE(SUM("partySize") FILTER (WHERE "status" = 'confirmed'), 0)::int AS seats,
            COUNT(*) FILTER (WHERE "status" = 'confirmed')::int AS parties, COUNT(*)::int AS total
     FROM "Reservation" WHERE "performanceId" = $1::uuid`,
    [performanceId],
  );
  const s = seats.rows[0];
  checks.push({ name: `${scenario} (${n}): confirmed seats <= capacity`, ok: s.seats <= P.seats, detail: `${s.seats}/${P.seats} seats, ${s.parties} parties` });
  checks.push({
    name: `${scenario} (${n}): seats filled (the rush really competed)`,
    ok: s.seats >= P.seats - 3,
    detail: `${s.seats}/${P.seats}`,
  });
  const unanswered = create.errors + confirm.errors;
  checks.push({ name: `${scenario} (${n}): every request answered (no transport error, no 5xx)`, ok: unanswered === 0, detail: `${unanswered} errors` });
  checks.push({
    name: `${scenario} (${n}): every confirmation email arrived`,
    ok: withToken.length === created.length,
    detail: `${withToken.length}/${created.length}, last one ${mailSeconds} s after the last booking answer (${mailRate} emails/s from the first booking)`,
  });
  return { rows, checks };
}

// ---------------------------------------------------------------- 2. door rush

async function doorRush(n: number, db: BenchDatabase, clients: Client[], basePool: pg.Pool, mail: MailCatcher, cat: Catalogue) {
  const scenario = "2. door rush";
  const rows: Row[] = [];
  const checks: ConfigResult["checks"] = [];
  const notes: string[] = [];
  const tag = `${n}-${Date.now().toString(36)}`;
  // Tickets work only on the performance's local day: start soon, before local midnight.
  const startsInHours = Math.max(0.05, Math.min(1, minutesToMidnight("Europe/Rome") / 60 - 0.05));
  const performanceId = await createPerformance(db.pool, cat, P.doorTickets * 5, startsInHours, 2);

  // Setup through the product: book, confirm from the email, take the ticket from the ticket email.
  const setupStart = performance.now();
  const tickets: string[] = [];
  let setupErrors = 0;
  await runConcurrently(range(P.doorTickets), P.rushClients, async (i, worker) => {
    const client = clients[worker % clients.length]!;
    const email = `door-${tag}-${i}@bench.test`;
    const c = await client.mutation("booking.create", { performanceId, name: `Spettatore ${i}`, email, partySize: 1 + (i % 4) });
    if (c.status !== 200) return void setupErrors++;
    const token = await mail.waitFor(email, "confirm", Math.max(180_000, P.doorTickets * 150)).catch(() => null);
    if (!token) return void setupErrors++;
    const f = await client.mutation("booking.confirm", { token });
    if (f.status !== 200) return void setupErrors++;
    const ticket = await mail.waitFor(email, "tickets", Math.max(180_000, P.doorTickets * 150)).catch(() => null);
    if (!ticket) return void setupErrors++;
    tickets.push(ticket);
  });
  notes.push(
    `door rush setup: ${tickets.length} tickets booked, confirmed and mailed through the product in ${round((performance.now() - setupStart) / 1000)} s (${setupErrors} failures)`,
  );
  log(notes.at(-1));

  const staff = await ensureStaffUsers(db.pool, P.doors);
  const cookies = (await createSessions(db.pool, staff, generateSessionToken, sessionIdFromToken)).map((t) => `sipario_session=${t}`);
  const scans = withRepeats(tickets, 0.05);

  const rec = new Recorder();
  let repeatsCaught = 0;
  let admitted = 0;
  const scanStatements = await statementMeter();
  const scanCpu = cpuMeter(serverPids);
  // Admit-on-scan (issue 19): one round trip per scan, the door naming its performance.
  // The preview-then-confirm mode (two requests) stays available to staff, but the door's
  // throughput is what one request per ticket allows.
  const wall = await runConcurrently(scans, P.doors, async (token, door) => {
    const client = clients[door % clients.length]!;
    const headers = { cookie: cookies[door]! };
    const c = await client.mutation("checkin.confirm", { token, performanceId }, headers);
    rec.record("checkin.confirm", c);
    if (c.status === 200 && !c.data?.repeated) admitted++;
    else if (c.reason === "already_checked_in" || c.data?.repeated) repeatsCaught++;
    rec.record("scan", { status: c.status === 200 || c.reason === "already_checked_in" ? 200 : c.status, reason: c.reason, ms: c.ms });
  });
  const scanStats = rec.stats("scan", wall);
  const scanCpuMs = scanCpu(scans.length);
  const scanStatementsPerReq = await scanStatements(scans.length);

  // Baseline: the same check-in statement through pg, 8 doors, same repeat share.
  const basePerf = await createPerformance(db.pool, cat, P.doorTickets * 5, startsInHours, 2);
  const baseTickets = await insertConfirmedTickets(db.pool, basePerf, tickets.length || P.doorTickets, `doorbase-${tag}-`);
  await db.pool.query("ANALYZE");
  const br = new Recorder();
  const bWall = await runConcurrently(withRepeats(baseTickets, 0.05), P.doors, async (token, door) => {
    const t = performance.now();
    const o = await baselineCheckIn(basePool, token, staff[door]!);
    br.record("scan", { status: o === "ok" ? 200 : 409, reason: o, ms: performance.now() - t });
  });
  const base = br.stats("scan", bWall);
  const scanRatio = ratio(scanStats.rps, base.rps);
  rows.push({ servers: n, scenario, op: "checkin.confirm", stats: rec.stats("checkin.confirm", wall) });
  rows.push({
    servers: n,
    scenario,
    op: "scan (admit-on-scan: one checkin.confirm)",
    stats: scanStats,
    cpuMsPerReq: scanCpuMs,
    statementsPerReq: scanStatementsPerReq,
    baseline: { what: "pg check-in INSERT ... ON CONFLICT", rps: base.rps, p99: base.p99 },
    ratio: scanRatio,
    target: ">= 0.25 of baseline, <= 1.2 ms server CPU per scan",
    met: scanRatio >= 0.25 && scanCpuMs <= 1.2,
  });
  const ci = await db.pool.query(
    `SELECT COUNT(*)::int AS c, COUNT(DISTINCT "reservationId")::int AS d FROM "CheckIn" c JOIN "Reservation" r ON r."id" = c."reservationId" WHERE r."performanceId" = $1::uuid`,
    [performanceId],
  );
  const repeats = scans.length - tickets.length;
  checks.push({
    name: `door rush (${n}): one check-in per ticket`,
    ok: ci.rows[0].c === tickets.length && ci.rows[0].c === ci.rows[0].d && admitted === tickets.length,
    detail: `${ci.rows[0].c} check-ins for ${tickets.length} tickets, ${admitted} admitted`,
  });
  checks.push({ name: `door rush (${n}): every repeat scan caught`, ok: repeatsCaught === repeats, detail: `${repeatsCaught}/${repeats}` });
  const errs = rec.stats("checkin.confirm", wall).errors;
  checks.push({
    name: `door rush (${n}): every request answered`,
    ok: errs === 0 && setupErrors === 0,
    detail: `${errs} errors, ${setupErrors} setup failures`,
  });
  return { rows, checks, notes };
}

function withRepeats(tickets: string[], share: number): string[] {
  const scans = [...tickets];
  const repeats = Math.round(tickets.length * share);
  for (let k = 0; k < repeats; k++) {
    const j = Math.floor((k / repeats) * tickets.length * 0.9);
    const pos = Math.min(scans.length, j + 40 + k);
    scans.splice(pos, 0, tickets[j]!);
  }
  return scans;
}

function minutesToMidnight(timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date());
  const h = Number(parts.find((p) => p.type === "hour")!.value);
  const m = Number(parts.find((p) => p.type === "minute")!.value);
  return 24 * 60 - (h * 60 + m);
}

// ---------------------------------------------------------------- 5. waiting list

/**
 * A sold-out performance (waitlistSeats seats, one per holder) with waitlistEntries verified
 * entries of 1-3 people. The holders cancel in bursts of waitlistBurst at once, across the
 * servers: each cancellation offers the freed seats to the queue in the same transaction.
 * Measured: tickets.cancel latency (it includes the offer), offers made per second.
 * Checked: queue order (every waiting entry ahead of the last offered one was passed over
 * because its party did not fit), seats never over-held, nothing left that a waiting party fits.
 */
async function waitingList(n: number, db: BenchDatabase, clients: Client[], cat: Catalogue) {
  const scenario = "5. waiting list";
  const rows: Row[] = [];
  const checks: ConfigResult["checks"] = [];
  const notes: string[] = [];
  const tag = `${n}-${Date.now().toString(36)}`;
  const seats = P.waitlistSeats;
  const performanceId = await createPerformance(db.pool, cat, seats, 24 * 5, 3);
  const holders = await insertSoldOutWithWaitlist(db.pool, performanceId, seats, P.waitlistEntries, `waitlist-holder-${tag}-`);
  await db.pool.query("ANALYZE");

  const rec = new Recorder();
  const cpu = cpuMeter(serverPids);
  const statements = await statementMeter();
  const started = performance.now();
  for (let from = 0; from < holders.length; from += P.waitlistBurst) {
    const burst = holders.slice(from, from + P.waitlistBurst);
    await Promise.all(
      burst.map(async (ticket, i) => rec.record("tickets.cancel", await clients[i % clients.length]!.mutation("tickets.cancel", { token: ticket }))),
    );
  }
  const wall = performance.now() - started;
  const stats = rec.stats("tickets.cancel", wall);
  const cpuMsPerReq = cpu(holders.length);
  const statementsPerReq = await statements(holders.length);

  const entries = (
    await db.pool.query(
      `SELECT e."queueRank" AS rank, e."partySize" AS party, e."status"::text AS status, e."passedOverReason" AS passed, e."offeredAt" AS "offeredAt"
       FROM "WaitlistEntry" e WHERE e."performanceId" = $1::uuid ORDER BY e."queueRank"`,
      [performanceId],
    )
  ).rows as { rank: number; party: number; status: string; passed: string | null; offeredAt: Date | null }[];
  const offered = entries.filter((e) => e.status === "offered");
  const held = offered.reduce((sum, e) => sum + e.party, 0);
  const lastOfferedRank = Math.max(0, ...offered.map((e) => e.rank));
  const skipped = entries.filter((e) => e.status === "waiting" && e.rank < lastOfferedRank && e.passed !== "party_too_large");
  const free = seats - held;
  const stillFits = entries.filter((e) => e.status === "waiting" && e.party <= free);
  const offerSpan = offered.length
    ? (Math.max(...offered.map((e) => e.offeredAt!.getTime())) - Math.min(...offered.map((e) => e.offeredAt!.getTime()))) / 1000
    : 0;
  const offersPerSecond = round(offered.length / (wall / 1000));
  rows.push({ servers: n, scenario, op: "tickets.cancel (+ offer)", stats, cpuMsPerReq, statementsPerReq });
  notes.push(
    `waiting list: ${holders.length} seats released in bursts of ${P.waitlistBurst} to ${entries.length} entries: ${offered.length} offers (${held} seats held) in ${round(wall / 1000)} s = ${offersPerSecond} offers/s (first to last offer ${round(offerSpan)} s); cancel p99 ${stats.p99} ms`,
  );
  log(notes.at(-1));
  checks.push({
    name: `waiting list (${n}): queue order held (nobody ahead of an offer was skipped unless their party did not fit)`,
    ok: skipped.length === 0,
    detail: `${skipped.length} skipped of ${entries.filter((e) => e.rank < lastOfferedRank).length} ahead of the last offer`,
  });
  checks.push({ name: `waiting list (${n}): seats never over-held`, ok: held <= seats, detail: `${held}/${seats} held` });
  checks.push({
    name: `waiting list (${n}): every freed seat offered while a waiting party fits`,
    ok: stillFits.length === 0,
    detail: `${free} seats free, ${stillFits.length} waiting parties that fit`,
  });
  checks.push({
    name: `waiting list (${n}): every cancellation answered`,
    ok: stats.errors === 0,
    detail: `${stats.errors} errors ${JSON.stringify(stats.outcomes)}`,
  });
  return { rows, checks, notes };
}

// ---------------------------------------------------------------- 3. catalogue

async function catalogue(n: number, db: BenchDatabase, clients: Client[], cat: Catalogue, scenario: string): Promise<Row[]> {
  const rows: Row[] = [];
  const slug = cat.shows[0]!.slug;
  const base = clients[0]!.trpcBase;
  const targets: { op: string; path: string }[] = [{ op: "catalogue.shows", path: `${base}/catalogue.shows` }];
  if (clients[0]!.trpcBase) {
    targets.unshift({ op: "GET / (home page)", path: "/" }, { op: `GET /shows/<slug> (show page)`, path: `/shows/${slug}` });
  }
  // Bare node:http baseline, one process per server process.
  const baselines = await Promise.all(clients.map(() => startBaselineServer(db.url)));
  const baseClients = baselines.map((b) => new Client(b.url, "", Math.ceil(P.catalogueClients / clients.length) + 4));
  try {
    for (const c of clients) await c.request("GET", targets[0]!.path); // warm up
    const br = new Recorder();
    const baseCpu = cpuMeter(baselines.map((b) => b.pid));
    const bWall = await runFor(P.catalogueMs, P.catalogueClients, async (w) => {
      const r = await baseClients[w % baseClients.length]!.request("GET", "/");
      br.record("base", r);
    });
    const baseStats = br.stats("base", bWall);
    const baseCpuMs = baseCpu(baseStats.count);
    for (const t of targets) {
      const first = await clients[0]!.request("GET", t.path);
      if (first.status !== 200) {
        log(`${scenario}: ${t.path} answers ${first.status}; skipped`);
        continue;
      }
      const rec = new Recorder();
      const statements = await statementMeter();
      const cpu = cpuMeter(serverPids);
      const wall = await runFor(P.catalogueMs, P.catalogueClients, async (w) => {
        const r = await clients[w % clients.length]!.request("GET", t.path);
        rec.record(t.op, r);
      });
      const st = rec.stats(t.op, wall);
      const cpuMsPerReq = cpu(st.count);
      const statementsPerReq = await statements(st.count);
      const rt = ratio(st.rps, baseStats.rps);
      rows.push({
        servers: n,
        scenario,
        op: t.op,
        stats: st,
        cpuMsPerReq,
        statementsPerReq,
        baseline: { what: "bare node:http + pg, same query", rps: baseStats.rps, p99: baseStats.p99, cpuMsPerReq: baseCpuMs },
        ratio: rt,
        target: ">= 0.5 x baseline",
        met: rt >= 0.5,
      });
      log(`${scenario} ${t.op}: ${st.rps}/s p99 ${st.p99} ms (baseline ${baseStats.rps}/s)`);
    }
  } finally {
    await Promise.all(baseClients.map((c) => c.close()));
    await Promise.all(baselines.map((b) => b.stop()));
  }
  return rows;
}

async function startBaselineServer(databaseUrl: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "bench", "baseline-server.ts")], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, POOL_SIZE: String(POOL_PER_PROCESS) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (c: Buffer) => {
      buf += c.toString();
      const line = buf.split("\n")[0];
      if (buf.includes("\n") && line) resolve(JSON.parse(line).url);
    });
    child.once("exit", (code) => reject(new Error(`baseline server exited ${code}`)));
  });
  const exited = new Promise((r) => child.once("exit", r));
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

// ---------------------------------------------------------------- 4. EXPLAIN

async function explainHotQueries(db: BenchDatabase, cat: Catalogue): Promise<ConfigResult["explain"]> {
  const pool = db.pool;
  const perf = (await pool.query(`SELECT "performanceId"::text AS id FROM "Reservation" WHERE "email" LIKE 'growth%' LIMIT 1`)).rows[0].id;
  const perfs = (await pool.query(`SELECT "id"::text AS id FROM "Performance" WHERE "showId" = $1::uuid AND "startsAt" > now()`, [cat.shows[0]!.id])).rows.map(
    (r) => r.id,
  );
  const tokenHash = (await pool.query(`SELECT "tokenHash" FROM "ReservationToken" WHERE "purpose" = 'check_in' LIMIT 1`)).rows[0].tokenHash;
  const resId = (await pool.query(`SELECT "reservationId"::text AS id FROM "ReservationToken" WHERE "tokenHash" = $1`, [tokenHash])).rows[0].id;
  const session = (await pool.query(`SELECT "id" FROM "Session" LIMIT 1`)).rows[0]?.id ?? "x".repeat(64);
  const staffId = (await pool.query(`SELECT "id"::text AS id FROM "User" LIMIT 1`)).rows[0].id;
  const queries: { name: string; sql: string; params: unknown[]; background?: boolean }[] = [
    {
      name: "token lookup (booking.confirm, checkin.preview)",
      sql: `SELECT t."id", t."purpose", t."usedAt", t."expiresAt", r."status" FROM "ReservationToken" t JOIN "Reservation" r ON r."id" = t."reservationId" WHERE t."tokenHash" = $1`,
      params: [tokenHash],
    },
    {
      name: "confirmed seats of one performance (confirm, create)",
      sql: `SELECT COALESCE(SUM("partySize"),0)::int FROM "Reservation" WHERE "performanceId" = $1::uuid AND "status" = 'confirmed'`,
      params: [perf],
    },
    {
      name: "confirmed seats grouped (catalogue.show)",
      sql: `SELECT "performanceId", SUM("partySize") FROM "Reservation" WHERE "performanceId" = ANY($1::uuid[]) AND "status" = 'confirmed' GROUP BY "performanceId"`,
      params: [perfs],
    },
    {
      name: "upcoming performances of a show (catalogue.show)",
      sql: `SELECT p."id", p."startsAt", v."name" FROM "Performance" p JOIN "Venue" v ON v."id" = p."venueId" WHERE p."showId" = $1::uuid AND p."startsAt" > now() ORDER BY p."startsAt"`,
      params: [cat.shows[0]!.id],
    },
    {
      name: "published shows (catalogue.shows)",
      sql: `SELECT "id", "slug", "title", "summary", "posterImage" FROM "Show" WHERE "isPublished" = true ORDER BY "title"`,
      params: [],
    },
    {
      name: "ticket state (checkin)",
      sql: `SELECT r."id", r."status", c."checkedInAt", u."name" FROM "Reservation" r LEFT JOIN "CheckIn" c ON c."reservationId" = r."id" LEFT JOIN "User" u ON u."id" = c."checkedInById" WHERE r."id" = $1::uuid`,
      params: [resId],
    },
    {
      name: "check-in INSERT ... ON CONFLICT (checkin.confirm)",
      sql: `WITH target AS (SELECT r."id" FROM "Reservation" r JOIN "Performance" p ON p."id" = r."performanceId" WHERE r."id" = $1::uuid AND r."status" = 'confirmed'
              AND EXISTS (SELECT 1 FROM "ReservationToken" t WHERE t."tokenHash" = $2 AND t."reservationId" = r."id" AND t."purpose" = 'check_in' AND t."expiresAt" > now()) FOR SHARE OF r)
            INSERT INTO "CheckIn" ("id","reservationId","checkedInAt","checkedInById","source","createdAt","updatedAt")
            SELECT gen_random_uuid(), target."id", now(), $3::uuid, 'qr_scan', now(), now() FROM target ON CONFLICT ("reservationId") DO NOTHING`,
      params: [resId, tokenHash, staffId],
    },
    {
      name: "session lookup (every staff request)",
      sql: `SELECT s."id", s."expiresAt", u."id", u."role" FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = $1`,
      params: [session],
    },
    {
      name: "outbox claim (mail worker)",
      sql: `SELECT "id" FROM "EmailOutbox" WHERE "status" = 'pending' AND "nextAttemptAt" <= now() ORDER BY "nextAttemptAt" LIMIT 20 FOR UPDATE SKIP LOCKED`,
      params: [],
    },
    {
      // Not a request path: once a minute, it reads every pending reservation by design.
      background: true,
      name: "pending expiry sweep (background job, every 60 s)",
      sql: `UPDATE "Reservation" r SET "status" = 'expired' WHERE r."status" = 'pending' AND NOT EXISTS (SELECT 1 FROM "ReservationToken" t WHERE t."reservationId" = r."id" AND t."purpose" = 'confirmation' AND t."usedAt" IS NULL AND t."expiresAt" > now())`,
      params: [],
    },
  ];
  // "Big" = more than 10,000 rows now; a Seq Scan on a 60-row Performance table is the right plan.
  await pool.query("ANALYZE");
  const big = new Set(
    (
      await pool.query(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.reltuples > 10000`,
      )
    ).rows.map((r) => r.relname as string),
  );
  const out: ConfigResult["explain"] = [];
  const client = await pool.connect();
  try {
    for (const q of queries) {
      await client.query("BEGIN");
      try {
        const r = await client.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${q.sql}`, q.params);
        const plan = r.rows.map((x) => x["QUERY PLAN"]).join("\n");
        out.push({
          name: q.name,
          plan,
          seqScanOnBigTable: [...plan.matchAll(/Seq Scan on "?(\w+)"?/g)].some((m) => big.has(m[1]!)),
          background: q.background === true,
        });
      } finally {
        await client.query("ROLLBACK");
      }
    }
  } finally {
    client.release();
  }
  return out;
}

// ---------------------------------------------------------------- output

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function ratio(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 100) / 100 : 0;
}

function markdown(report: { date: string; quick: boolean; machine: Record<string, unknown>; results: ConfigResult[] }): string {
  const m = report.machine;
  const lines = [
    `## Sipario bench ${report.date}${report.quick ? " (--quick)" : ""}`,
    "",
    `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${String(m.postgres).split(" on ")[0]}; load average (1/5/15 min) ${String(m.loadAverageAtStart)} at start, ${String(m.loadAverageAtEnd)} at the end`,
    "",
    "| servers | scenario | operation | n | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/req | SQL stmts/req | baseline req/s | ratio | target |",
    "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  const f = (x: number) => (Number.isNaN(x) ? "" : String(x));
  for (const r of report.results) {
    for (const row of r.rows) {
      const s = row.stats;
      lines.push(
        `| ${row.servers} | ${row.scenario} | ${row.op} | ${s.count} | ${s.rps} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.p99)} | ${s.errors} | ${row.cpuMsPerReq ?? ""}${row.baseline?.cpuMsPerReq !== undefined ? ` (baseline ${row.baseline.cpuMsPerReq})` : ""} | ${row.statementsPerReq ?? ""} | ${row.baseline?.rps ?? ""} | ${row.ratio ?? ""} | ${row.target ? `${row.target}: ${row.met ? "met" : "**missed**"}` : ""} |`,
      );
    }
  }
  lines.push("", "| servers | process | peak RSS (VmHWM) | budget |", "|---:|---|---|---|");
  const budget = (values: number[], max: number) => `<= ${max} MiB: ${values.length && values.every((v) => v <= max) ? "met" : "**missed**"}`;
  for (const r of report.results) {
    const site = Object.values(r.peakRssMiB);
    lines.push(
      `| ${r.servers} | ${r.serverKind === "site" ? "site build" : "api test server"} | ${site.map((v) => `${v} MiB`).join(", ")} | ${budget(site, RSS_BUDGET_MIB.site)} |`,
    );
    if (r.backofficePeakRssMiB !== undefined) {
      lines.push(`| ${r.servers} | back-office | ${r.backofficePeakRssMiB} MiB | ${budget([r.backofficePeakRssMiB], RSS_BUDGET_MIB.backoffice)} |`);
    }
  }
  lines.push("", "Checks:");
  for (const r of report.results) for (const c of r.checks) lines.push(`- [${c.ok ? "x" : " "}] ${c.name}: ${c.detail}`);
  const notes = report.results.flatMap((r) => r.notes.map((x) => `(${r.servers}) ${x}`));
  if (notes.length) lines.push("", "Notes:", ...notes.map((x) => `- ${x}`));
  const last = report.results.at(-1);
  if (last?.explain.length) {
    lines.push("", `Hot query plans after growth (servers=${last.servers}):`);
    for (const e of last.explain) lines.push("", `${e.name}${e.seqScanOnBigTable ? " **Seq Scan on a big table**" : ""}:`, "```", e.plan, "```");
  }
  // Outcomes are useful to see why a rate is what it is (most confirms lose the race).
  lines.push("", "Outcomes:");
  for (const r of report.results) {
    for (const row of r.rows) {
      const latency = Object.entries(row.stats.outcomeLatency ?? {})
        .map(([key, l]) => `${key}: p50 ${l.p50} / p99 ${l.p99} / max ${l.max} ms`)
        .join("; ");
      lines.push(`- (${row.servers}) ${row.scenario} ${row.op}: ${JSON.stringify(row.stats.outcomes)}${latency ? ` (${latency})` : ""}`);
    }
  }
  return lines.join("\n");
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});

export type { CallResult };
