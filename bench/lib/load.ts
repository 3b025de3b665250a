import { Pool } from "undici";

/**
 * The load side: undici connection pools (one per server origin) and a bounded set of
 * concurrent "clients" that each run a flow. Latencies are recorded per operation and
 * summarised exactly (sorted samples, no histogram buckets).
 */

export interface CallResult {
  status: number;
  /** tRPC result data on success. */
  data?: any;
  /** tRPC error reason (data.reason) or a transport error code. */
  reason?: string;
  ms: number;
}

export class Client {
  readonly pool: Pool;
  constructor(
    readonly origin: string,
    readonly trpcBase: string,
    connections: number,
  ) {
    this.pool = new Pool(origin, { connections, pipelining: 1, headersTimeout: 60_000, bodyTimeout: 60_000, keepAliveTimeout: 30_000 });
  }

  async request(method: "GET" | "POST", path: string, body?: unknown, headers: Record<string, string> = {}): Promise<CallResult & { text: string }> {
    const start = performance.now();
    try {
      const res = await this.pool.request({
        method,
        path,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, ms: performance.now() - start, text };
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).name;
      return { status: 0, reason: `transport:${code}`, ms: performance.now() - start, text: "" };
    }
  }

  async mutation(proc: string, input: unknown, headers?: Record<string, string>): Promise<CallResult> {
    return parseTrpc(await this.request("POST", `${this.trpcBase}/${proc}`, input, headers));
  }

  async query(proc: string, input?: unknown, headers?: Record<string, string>): Promise<CallResult> {
    const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return parseTrpc(await this.request("GET", `${this.trpcBase}/${proc}${qs}`, undefined, headers));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function parseTrpc(r: CallResult & { text: string }): CallResult {
  if (r.status === 0) return r;
  try {
    const json = JSON.parse(r.text);
    if (json?.result) return { status: r.status, data: json.result.data, ms: r.ms };
    return { status: r.status, reason: json?.error?.data?.reason ?? json?.error?.data?.code ?? "unknown_error", ms: r.ms };
  } catch {
    return { status: r.status, reason: "not_json", ms: r.ms };
  }
}

export interface OpStats {
  count: number;
  /** Requests per second over the phase's wall time. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Transport failures and 5xx answers. */
  errors: number;
  /** Answers by status/reason, e.g. {"200": 480, "409 not_enough_seats": 4520}. */
  outcomes: Record<string, number>;
  /** Latency per outcome: a p99 is often one outcome's (the few winners of a sell-out). */
  outcomeLatency: Record<string, { p50: number; p99: number; max: number }>;
}

export class Recorder {
  private samples = new Map<string, number[]>();
  private outcomeSamples = new Map<string, Map<string, number[]>>();
  private outcomes = new Map<string, Record<string, number>>();
  private errors = new Map<string, number>();

  record(op: string, r: CallResult): void {
    let list = this.samples.get(op);
    if (!list) this.samples.set(op, (list = []));
    list.push(r.ms);
    const key = r.status === 200 ? "200" : `${r.status} ${r.reason ?? ""}`.trim();
    const o = this.outcomes.get(op) ?? {};
    o[key] = (o[key] ?? 0) + 1;
    this.outcomes.set(op, o);
    const byOutcome = this.outcomeSamples.get(op) ?? new Map<string, number[]>();
    this.outcomeSamples.set(op, byOutcome);
    const outcomeList = byOutcome.get(key) ?? [];
    byOutcome.set(key, outcomeList);
    outcomeList.push(r.ms);
    if (r.status === 0 || r.status >= 500) this.errors.set(op, (this.errors.get(op) ?? 0) + 1);
  }

  stats(op: string, wallMs: number): OpStats {
    const list = [...(this.samples.get(op) ?? [])].sort((a, b) => a - b);
    const pick = (q: number) => quantile(list, q);
    const outcomeLatency: OpStats["outcomeLatency"] = {};
    for (const [key, samples] of this.outcomeSamples.get(op) ?? []) {
      const sorted = [...samples].sort((a, b) => a - b);
      outcomeLatency[key] = { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: round(sorted.at(-1) ?? 0) };
    }
    return {
      count: list.length,
      rps: round((list.length / wallMs) * 1000),
      p50: pick(0.5),
      p95: pick(0.95),
      p99: pick(0.99),
      max: list.length ? round(list[list.length - 1]!) : 0,
      errors: this.errors.get(op) ?? 0,
      outcomes: this.outcomes.get(op) ?? {},
      outcomeLatency,
    };
  }
}

/** Nearest-rank quantile of an ascending list. */
function quantile(sorted: number[], q: number): number {
  return sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!) : 0;
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Runs `fn` over items with at most `concurrency` in flight; returns the wall time in ms. */
export async function runConcurrently<T>(items: T[], concurrency: number, fn: (item: T, worker: number, index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async (_, worker) => {
      for (;;) {
        const index = next++;
        if (index >= items.length) return;
        await fn(items[index]!, worker, index);
      }
    }),
  );
  return performance.now() - start;
}

/** Runs `fn` repeatedly from `concurrency` clients for `durationMs`; returns the wall time. */
export async function runFor(durationMs: number, concurrency: number, fn: (worker: number, i: number) => Promise<void>): Promise<number> {
  const start = performance.now();
  const end = start + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < end; i++) await fn(worker, i);
    }),
  );
  return performance.now() - start;
}
