// Funnel counters: calculator views and inquiries per city and UTC day, incremented in place.
import { incrementFunnelCounter, type DbOrTx } from "@leadflow/db";

export const FUNNEL_METRICS = ["calculator_view", "inquiry", "inquiry_from_calculator"] as const;
export type FunnelMetric = (typeof FUNNEL_METRICS)[number];

export async function countFunnel(db: DbOrTx, now: Date, city: string, metric: FunnelMetric): Promise<void> {
  await incrementFunnelCounter(db, { day: now.toISOString().slice(0, 10), city, metric });
}
