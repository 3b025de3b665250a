import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection URL here, not from the schema. Migrations do not go
// through the Prisma CLI (see docs/adr/0001-migrations-without-native-engine.md), so only
// generate/validate/format use this file.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
