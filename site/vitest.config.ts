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
    // expect.poll's own default (1 s) is shorter than a sign-in (argon2) or a page load on
    // a busy two-core machine: a poll waits for what a person would wait for.
    expect: { poll: { timeout: 15_000 } },
    // Each e2e file runs a server and a Chromium: one file at a time keeps a two-core CI
    // machine's timings steady. (The QR that sometimes never decoded was the decoder's
    // fault, not CPU: see docs/adr/0007-qr-decoder.md.)
    fileParallelism: false,
  },
});
