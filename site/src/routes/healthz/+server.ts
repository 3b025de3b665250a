import { json } from "@sveltejs/kit";

/** Liveness: the process answers. Touches nothing else. */
export const GET = () => json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
