// The marketplace's background work: phase timers (one pg-boss job per phase, started at the
// window's end), a sweeper for timers lost in a crash, and the daily recomputations.
import type PgBoss from "pg-boss";
import type { PhaseTimer } from "@leadflow/engine";
import type { MarketServices } from "./common";
import { recomputeCityStats } from "./city-stats";
import { PHASE_TIMER_QUEUE, sweepOverdueLeads, transitionToNextPhase } from "./routing";
import { recalculateAllRoutingScores } from "./routing-score";

export const MARKET_QUEUES = {
  phaseTimer: PHASE_TIMER_QUEUE,
  sweep: "market-phase-sweep",
  routingScores: "market-routing-scores",
  cityStats: "market-city-stats",
} as const;

type TimerJob = PhaseTimer & { leadId: string };
const TIMER_BATCH = 100;
const TIMER_CONCURRENCY = 10;

/**
 * Only the phase timer queue: what a restarted worker needs to pick up scheduled timers. pg-boss
 * waits a polling interval between fetches, so timers are fetched in batches and run a few at a
 * time; each is idempotent (compare-and-set), so a failed batch is simply retried.
 */
export async function registerPhaseTimerWorker(
  boss: PgBoss,
  s: MarketServices,
  onHandled?: (timer: TimerJob) => void,
): Promise<void> {
  await boss.createQueue(MARKET_QUEUES.phaseTimer);
  await boss.work<TimerJob>(
    MARKET_QUEUES.phaseTimer,
    { pollingIntervalSeconds: 0.5, batchSize: TIMER_BATCH },
    async (jobs) => {
      const queue = [...jobs];
      const failures: unknown[] = [];
      const runner = async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          try {
            await transitionToNextPhase(s, job.data);
            onHandled?.(job.data);
          } catch (err) {
            s.log.error({ err, leadId: job.data.leadId }, "phase timer failed");
            failures.push(err);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(TIMER_CONCURRENCY, jobs.length) }, runner));
      if (failures.length > 0) throw failures[0];
    },
  );
}

export async function registerMarketplaceJobs(boss: PgBoss, s: MarketServices): Promise<void> {
  const svc = { ...s, boss };
  await registerPhaseTimerWorker(boss, svc);
  await boss.createQueue(MARKET_QUEUES.sweep);
  await boss.work(MARKET_QUEUES.sweep, async () => {
    const n = await sweepOverdueLeads(svc);
    if (n > 0) s.log.warn({ leads: n }, "overdue phase timers re-run");
  });
  await boss.schedule(MARKET_QUEUES.sweep, "* * * * *");
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
