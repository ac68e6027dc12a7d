// Return rates move with every sale, not only with returns: a pg-boss schedule keeps
// buyers.return_rate_bp current for the auction's optional net-of-returns ranking.
import type PgBoss from "pg-boss";
import type { Services } from "../context";
import { refreshReturnRates } from "./rates";

export const RETURN_RATES_QUEUE = "return-rates-refresh";

export async function registerReturnsJobs(boss: PgBoss, s: Services): Promise<void> {
  await boss.createQueue(RETURN_RATES_QUEUE);
  await boss.work(RETURN_RATES_QUEUE, async () => {
    const changed = await refreshReturnRates(s.db, s.clock.now());
    s.log.info({ changed }, "return rates refreshed");
  });
  await boss.schedule(RETURN_RATES_QUEUE, "23 * * * *");
}
