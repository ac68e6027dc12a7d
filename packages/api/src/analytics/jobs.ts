// The analytics-rollup queue: every ten minutes, roll closed days up (see rollup.ts).
import type PgBoss from "pg-boss";
import type { Services } from "../context";
import { rollupAnalytics } from "./rollup";

export const ANALYTICS_ROLLUP_QUEUE = "analytics-rollup";

export async function registerAnalyticsJobs(boss: PgBoss, s: Services): Promise<void> {
  await boss.createQueue(ANALYTICS_ROLLUP_QUEUE, { name: ANALYTICS_ROLLUP_QUEUE, policy: "singleton" });
  await boss.work(ANALYTICS_ROLLUP_QUEUE, async () => {
    const results = await rollupAnalytics(s.db, s.clock.now());
    s.log.info({ results }, "analytics rolled up");
  });
  await boss.schedule(ANALYTICS_ROLLUP_QUEUE, "*/10 * * * *");
  // Roll up once at start, so a fresh install or a restarted server need not wait for the clock.
  await boss.send(ANALYTICS_ROLLUP_QUEUE, {});
}
