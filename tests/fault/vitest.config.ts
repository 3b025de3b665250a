import { defineConfig } from "vitest/config";

// Fault tests start real server processes against real PostgreSQL: one file at a time.
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.test.ts"],
    globalSetup: ["../../packages/db/src/testing/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
