// The marketplace's background work: the phase timer sweeper (timers.ts: due leads claimed FOR
// UPDATE SKIP LOCKED, in every worker process) and the daily recomputations.
import type PgBoss from "pg-boss";
import type { MarketServices } from "./common";
import { recomputeCityStats } from "./city-stats";
import type { DueTransition } from "./routing";
import { recalculateAllRoutingScores } from "./routing-score";
import { startPhaseTimerSweeper, type PhaseTimerSweeper, type SweeperOptions } from "./timers";

export const MARKET_QUEUES = {
  routingScores: "market-routing-scores",
  cityStats: "market-city-stats",
} as const;

/**
 * Starts this process's phase timer sweeper, stopped with the boss (the server stops the boss
 * before it closes the database). A restarted process finds every timer in market_leads.due_at.
 */
export function registerPhaseTimerWorker(
  boss: PgBoss,
  s: MarketServices,
  onHandled?: (t: DueTransition) => void,
  opts: Omit<SweeperOptions, "onHandled"> = {},
): PhaseTimerSweeper {
  const sweeper = startPhaseTimerSweeper(s, { ...opts, onHandled });
  boss.once("stopped", () => void sweeper.stop());
  return sweeper;
}

export async function registerMarketplaceJobs(boss: PgBoss, s: MarketServices): Promise<void> {
  registerPhaseTimerWorker(boss, { ...s, boss });
  // Before due_at, a minute's sweep re-ran lost pg-boss timers; the sweeper replaces both.
  await boss.unschedule("market-phase-sweep");
  await boss.createQueue(MARKET_QUEUES.cityStats);
  await boss.work(MARKET_QUEUES.cityStats, async () => {
    const rows = await recomputeCityStats(s.db, s.clock);
    s.log.info({ rows }, "city statistics recomputed");
  });
  await boss.schedule(MARKET_QUEUES.cityStats, "10 3 * * *");
  await boss.createQueue(MARKET_QUEUES.routingScores);
  await boss.work(MARKET_QUEUES.routingScores, async () => {
    const n = await recalculateAllRoutingScores(s.db, s.clock);
    s.log.info({ djs: n }, "routing scores recalculated");
  });
  // After the city statistics, so scores use the fresh medians.
  await boss.schedule(MARKET_QUEUES.routingScores, "40 3 * * *");
}
