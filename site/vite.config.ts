import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

// The workspace packages stay external in the server build: production imports their
// compiled JavaScript (packages/*/dist, built first by turbo), and `npm start` shares
// one copy of them (one Prisma client, one config, one logger) with the back-office in
// the same process. In `vite dev` they are not external: Vite loads their TypeScript
// sources through the "development" export condition, so edits there reload too.
const workspacePackage = /^@sipario\//;

export default defineConfig(({ command }) => ({
  plugins: [sveltekit()],
  ssr: command === "build" ? { external: ["@sipario/api", "@sipario/db"] } : {},
  environments: {
    ssr: { build: { rollupOptions: { external: workspacePackage } } },
  },
  server: { fs: { allow: [".."] } },
}));
