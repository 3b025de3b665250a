import { checkReadiness, type AppConfig } from "@sipario/api";
import type { PrismaClient } from "@sipario/db";
import type { Router } from "express";
import express from "express";

/**
 * /healthz: the process answers. /readyz: the database answers, every migration is
 * applied and mail can go out (503 otherwise), naming what is wrong but never how it
 * is configured.
 */
export function healthRoutes(prisma: PrismaClient, config: AppConfig): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    res.set("cache-control", "no-store").json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const { ready, body } = await checkReadiness(prisma, config);
    res
      .status(ready ? 200 : 503)
      .set("cache-control", "no-store")
      .json(body);
  });
  return router;
}
