// Funnel counters: calculator views and inquiries per city and UTC day, incremented in place.
import { marketFunnelCounters, type DbOrTx } from "@leadflow/db";
import { sql } from "drizzle-orm";

export const FUNNEL_METRICS = ["calculator_view", "inquiry", "inquiry_from_calculator"] as const;
export type FunnelMetric = (typeof FUNNEL_METRICS)[number];

export async function countFunnel(db: DbOrTx, now: Date, city: string, metric: FunnelMetric): Promise<void> {
  await db
    .insert(marketFunnelCounters)
    .values({ day: now.toISOString().slice(0, 10), city, metric, count: 1 })
    .onConflictDoUpdate({
      target: [marketFunnelCounters.day, marketFunnelCounters.city, marketFunnelCounters.metric],
      set: { count: sql`${marketFunnelCounters.count} + 1` },
    });
}
