// `pnpm --filter @leadflow/tooling seed`: creates the demo world in the configured database.
import { createDb, migrateDb } from "@leadflow/db";
import { loadConfig } from "@leadflow/server";
import { printLogins, seedDemo } from "./seed/seed";

const config = loadConfig();
const handle = await createDb(
  config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.DATA_DIR },
);
await migrateDb(handle);
const result = await seedDemo(handle.db, undefined, { buyerSimUrl: config.BUYER_SIM_URL, history: true });
printLogins(result, config.publicUrl);
await handle.close();
