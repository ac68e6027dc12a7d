// One counter that every change to buyers, their zips or the verticals bumps (statement triggers,
// in the migration that creates this table). The auction keeps each vertical's buyer set in
// memory and reads this number in the statement that starts a lead's auction, so a cached set is
// used only while it is exactly what the database holds.
import { sql } from "drizzle-orm";
import { bigint, check, integer, pgTable } from "drizzle-orm/pg-core";

export const buyerConfigVersion = pgTable(
  "buyer_config_version",
  {
    id: integer("id").primaryKey().default(1),
    version: bigint("version", { mode: "number" }).notNull().default(1),
  },
  (t) => [check("buyer_config_version_singleton", sql`${t.id} = 1`)],
);
