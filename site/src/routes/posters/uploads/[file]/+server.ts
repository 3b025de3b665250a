import { readFile } from "node:fs/promises";
import { getConfig, posterFile } from "@sipario/api";
import { error } from "@sveltejs/kit";
import type { RequestHandler } from "./$types";

/**
 * A poster uploaded in the back-office (POSTER_DIR). Its name is the hash of its content,
 * so a new poster is a new address: browsers and proxies may keep each one for a year.
 */
export const GET: RequestHandler = async ({ params }) => {
  const file = posterFile(getConfig(), params.file);
  if (!file) error(404, "Not found");
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    error(404, "Not found");
  }
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": "image/webp",
      "content-length": String(body.length),
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    },
  });
};
