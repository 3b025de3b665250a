import { json } from "@sveltejs/kit";
import { serverCaller } from "$lib/server/trpc";
import type { RequestHandler } from "./$types";

/**
 * Readiness: the database answers (through the pool), every migration is applied and mail
 * can go out; 503 otherwise. One answer per second is shared (health.ready).
 */
export const GET: RequestHandler = async (event) => {
  let answer;
  try {
    answer = await (await serverCaller(event)).health.ready();
  } catch {
    // Opening the database itself failed (first request after a start without it).
    answer = {
      ready: false,
      body: { status: "not_ready", checks: { database: { ok: false, detail: "unreachable" }, migrations: { ok: false, detail: "unknown" } } },
    };
  }
  return json(answer.body, { status: answer.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
};
