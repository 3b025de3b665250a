import { appRouter, getLogger, MAX_BATCH_SIZE, redactPath } from "@sipario/api";
import type { RequestHandler } from "@sveltejs/kit";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "$lib/server/trpc";

const handler: RequestHandler = (event) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req: event.request,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: () => createContext(event),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        getLogger().error({ err: error, path, url: redactPath(event.url.pathname), requestId: event.locals.requestId }, "trpc error");
      }
    },
  });

export const GET = handler;
export const POST = handler;
