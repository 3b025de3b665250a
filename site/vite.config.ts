// adapter-node, built into .builds/<stamp> and switched in atomically (build -> link),
// its static files guarded (adapter/static-guard.js).
import adapter from "./adapter/index.js";
import { sveltekit } from "@sveltejs/kit/vite";
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

// The workspace packages stay external in the server build: production imports their
// compiled JavaScript (packages/*/dist, built first by turbo), and `npm start` shares
// one copy of them (one Prisma client, one config, one logger) with the back-office in
// the same process. In `vite dev` they are not external: Vite loads their TypeScript
// sources through the "development" export condition, so edits there reload too.
const workspacePackage = /^@sipario\//;

export default defineConfig(({ command }) => ({
  plugins: [
    // SvelteKit 3 takes its configuration here (svelte.config.js is no longer read).
    sveltekit({
      preprocess: vitePreprocess(),
      adapter: adapter({ out: "build" }),
      // SvelteKit 3 replaced $lib with the #lib subpath import; the alias keeps our imports
      // working until they move (one mechanical rename, done when no branch is open).
      alias: { $lib: "src/lib" },
      // Kit adds the hash of its own inline bootstrap script, so no page needs
      // 'unsafe-inline'. Hashes, not nonces: a public page rendered once is shared by every
      // anonymous visitor for a moment (src/lib/server/page-cache.ts), and a shared nonce
      // would be no nonce. Our styles are all in files (the theme colour comes from /theme.css).
      csp: {
        mode: "hash",
        directives: {
          "default-src": ["self"],
          // wasm-unsafe-eval lets the door scanner compile its QR reader (WebAssembly); it does not allow eval().
          "script-src": ["self", "wasm-unsafe-eval"],
          // Exactly one inline style is allowed: the one on SvelteKit's own route announcer
          // (<div id="svelte-announcer" style="position: absolute; ...">), by its hash.
          "style-src": ["self", "unsafe-hashes", "sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo="],
          "img-src": ["self", "data:"],
          "font-src": ["self"],
          "connect-src": ["self"],
          "media-src": ["self", "blob:"],
          "object-src": ["none"],
          "base-uri": ["self"],
          "form-action": ["self"],
          "frame-ancestors": ["none"],
        },
      },
      // The service worker serves the door scanner only (scope /staff/): the scanner page
      // registers it itself, so public pages never install one (docs/adr/0009-offline-door.md).
      serviceWorker: { register: false },
      // csrf.checkOrigin stays at its default (true): form posts from other origins are refused.
    }),
  ],
  ssr: command === "build" ? { external: ["@sipario/api", "@sipario/db"] } : {},
  environments: {
    ssr: { build: { rollupOptions: { external: workspacePackage } } },
  },
  server: { fs: { allow: [".."] } },
}));
