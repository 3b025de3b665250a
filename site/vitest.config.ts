import { defineConfig } from "vitest/config";

// The e2e files start the BUILT site (turbo runs `vite build` before `test`), so no
// SvelteKit plugin here: the tests only import plain TypeScript.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["node_modules/**"],
    globalSetup: ["../packages/db/src/testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each e2e file runs a server and a Chromium. One file at a time: with two, the fake
    // camera's frames were sometimes starved of CPU and the QR never decoded in time.
    fileParallelism: false,
  },
});
