import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["../packages/db/src/testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's own default (1 s) is shorter than a sign-in (argon2) or a page load on
    // a busy two-core machine: a poll waits for what a person would wait for.
    expect: { poll: { timeout: 15_000 } },
    // The browser test and the API test each start AdminJS; two at once on 2 cores is slower.
    fileParallelism: false,
  },
});
