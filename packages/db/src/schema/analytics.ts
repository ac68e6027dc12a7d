// Daily rollups behind the admin analytics (packages/api/src/analytics). Each row is the raw
// rows of one closed UTC day summed by the same SQL the charts run on the live tail, so rollup +
// tail equals a query on the raw tables. A day is rolled up only once nothing in it can change
// (see analyticsRollupState). Arrays are counts in a fixed order named in the api's
// analytics/buckets.ts (lost reasons, latency bands, cascade positions).
import { sql } from "drizzle-orm";
import { bigint, date, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { buyers } from "./buyers";
import { deliveryMethod, deliveryMode, deliveryStatus } from "./enums";

const counts = (name: string) =>
  integer(name)
    .array()
    .notNull()
    .default(sql`'{}'::int[]`);

/** Per day, vertical and buyer: what the buyer was asked, bid, won, paid, how fast it answered, why it lost. */
export const analyticsTxDaily = pgTable(
  "analytics_tx_daily",
  {
    day: date("day", { mode: "string" }).notNull(),
    vertical: text("vertical").notNull(),
    buyerId: uuid("buyer_id")
      .notNull()
      .references(() => buyers.id, { onDelete: "cascade" }),
    asked: integer("asked").notNull(),
    pings: integer("pings").notNull(),
    bids: integer("bids").notNull(),
    wins: integer("wins").notNull(),
    spentCents: bigint("spent_cents", { mode: "number" }).notNull(),
    timeouts: integer("timeouts").notNull(),
    errors: integer("errors").notNull(),
    posts: integer("posts").notNull(),
    postsRejected: integer("posts_rejected").notNull(),
    latencyCount: integer("latency_count").notNull(),
    latencySumMs: bigint("latency_sum_ms", { mode: "number" }).notNull(),
    latencyBands: counts("latency_bands"),
    lost: counts("lost"),
    postsWonAt: counts("posts_won_at"),
    postsLostAt: counts("posts_lost_at"),
  },
  (t) => [primaryKey({ columns: [t.day, t.vertical, t.buyerId] })],
);

/** Per day (of receipt) and vertical: leads, their outcome and the revenue they brought. */
export const analyticsLeadDaily = pgTable(
  "analytics_lead_daily",
  {
    day: date("day", { mode: "string" }).notNull(),
    vertical: text("vertical").notNull(),
    leads: integer("leads").notNull(),
    sold: integer("sold").notNull(),
    unsold: integer("unsold").notNull(),
    rejected: integer("rejected").notNull(),
    /** Before returns: what the winners paid at the sale (credits are subtracted when read). */
    revenueCents: bigint("revenue_cents", { mode: "number" }).notNull(),
    unsoldReasons: counts("unsold_reasons"),
  },
  (t) => [primaryKey({ columns: [t.day, t.vertical] })],
);

/** Per day (the delivery was owed), vertical, buyer, method, mode of the sale and status. */
export const analyticsDeliveryDaily = pgTable(
  "analytics_delivery_daily",
  {
    day: date("day", { mode: "string" }).notNull(),
    vertical: text("vertical").notNull(),
    buyerId: uuid("buyer_id")
      .notNull()
      .references(() => buyers.id, { onDelete: "cascade" }),
    method: deliveryMethod("method").notNull(),
    mode: deliveryMode("mode").notNull(),
    status: deliveryStatus("status").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.vertical, t.buyerId, t.method, t.mode, t.status] })],
);

/**
 * How far each rollup reaches: days before `through` (exclusive) are in the rollup table; the
 * charts read raw rows from there on. Advanced by the analytics-rollup job.
 */
export const analyticsRollupState = pgTable("analytics_rollup_state", {
  name: text("name").primaryKey(),
  through: date("through", { mode: "string" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});
