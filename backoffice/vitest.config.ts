import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["../packages/db/src/testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The browser test and the API test each start AdminJS; two at once on 2 cores is slower.
    fileParallelism: false,
  },
});
