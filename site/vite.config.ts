import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";
import { register } from "tsx/esm/api";

// SvelteKit analyses the built server in a worker, which then imports the external
// workspace packages: tsx lets that worker (and `vite build` itself) load their .ts.
register();

// The workspace packages are TypeScript sources. They stay external in the server build:
// production runs `node --import tsx build/index.js`, so tsx loads their .ts, and the site
// shares one copy (one Prisma client, one config, one logger) with whoever imports it.
const workspacePackage = /^@sipario\//;

export default defineConfig({
  plugins: [sveltekit()],
  ssr: { external: ["@sipario/api", "@sipario/db"] },
  environments: {
    ssr: { build: { rollupOptions: { external: workspacePackage } } },
  },
  server: { fs: { allow: [".."] } },
});
