import { defineConfig } from "drizzle-kit";

// `pnpm db:generate` writes SQL migrations from the schema into packages/db/drizzle; they are
// committed and applied by migrateDb() when the server starts and when a test database is made.
export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/db/src/schema/index.ts",
  out: "./packages/db/drizzle",
});
