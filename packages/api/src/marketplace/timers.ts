// The phase timer sweeper (issue 17, item 6): each worker process runs a few loops; each loop claims
// a batch of due leads (market_leads.due_at, FOR UPDATE SKIP LOCKED) and runs all their phase timers
// in one transaction of a few set-based statements (routing.ts runDueTransitions), instead of one
// pg-boss job per phase. Any number of processes can run it: a lead is claimed by one loop at a
// time, and every move is still a compare-and-set on phase_seq.
import { setMarketLeadDue } from "@leadflow/db";
import type { RoutingConfig } from "@leadflow/engine";
import type { MarketServices } from "./common";
import { onPhaseDue, runDueTransitions, type DueTransition } from "./routing";
import { loadRoutingConfig } from "./settings";

export interface SweeperOptions {
  /** Loops in this process, each with its own connection while it works (default 4). */
  workers?: number;
  /** Due leads one loop claims and moves in one transaction (default 100). */
  batch?: number;
  /** How long an idle loop waits before looking again (default 250 ms); a phase started here wakes it sooner. */
  idleMs?: number;
  /** A failed timer is tried again this much later (default 5 s). */
  retryMs?: number;
  onHandled?: (t: DueTransition) => void;
}

export interface PhaseTimerSweeper {
  stop(): Promise<void>;
}

/** How long a read of the routing settings is reused: a saved change takes effect within it. */
const CONFIG_TTL_MS = 1_000;
/**
 * Big enough that a transition costs a few statements' share instead of twenty statements, small
 * enough that one transaction holds its leads' rows for a fraction of a second.
 */
const DEFAULT_BATCH = 100;

export function startPhaseTimerSweeper(s: MarketServices, opts: SweeperOptions = {}): PhaseTimerSweeper {
  const workers = opts.workers ?? 4;
  const batch = opts.batch ?? DEFAULT_BATCH;
  const idleMs = opts.idleMs ?? 250;
  const retryMs = opts.retryMs ?? 5_000;
  let stopped = false;
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...sleepers]) wake();
  };
  const unsubscribe = onPhaseDue((inMs) => {
    if (inMs < idleMs) setTimeout(wakeAll, inMs).unref();
  });
  const sleep = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, idleMs);
      sleepers.add(done);
    });

  let cached: { at: number; config: Promise<RoutingConfig> } | null = null;
  const config = () => {
    if (!cached || Date.now() - cached.at > CONFIG_TTL_MS) cached = { at: Date.now(), config: loadRoutingConfig(s.db) };
    return cached.config;
  };

  const handled = (done: DueTransition[]) => {
    for (const d of done) opts.onHandled?.(d);
  };
  const postpone = (leadId: string) =>
    setMarketLeadDue(s.db, leadId, new Date(s.clock.now().getTime() + retryMs)).catch((e: unknown) =>
      s.log.error({ err: e, leadId }, "could not postpone a failed phase timer"),
    );
  /** After a batch failed (and rolled back whole): each of its leads alone, so one bad lead holds up only itself. */
  const oneByOne = async (ids: string[]) => {
    for (const id of ids) {
      if (stopped) return;
      try {
        handled(await runDueTransitions(s, { config: await config(), ids: [id], dates: "try" }));
      } catch (err) {
        s.log.error({ err, leadId: id }, "phase timer failed; trying it again later");
        // Its transaction rolled back; put it behind the others so one bad lead cannot stall the loop.
        await postpone(id);
      }
    }
  };

  const loop = async () => {
    while (!stopped) {
      let claimed: string[] = [];
      try {
        const done = await runDueTransitions(s, {
          config: await config(),
          limit: batch,
          dates: "try",
          onClaim: (ids) => (claimed = ids),
        });
        handled(done);
        if (done.length > 0) continue; // more may be due: look again at once
      } catch (err) {
        cached = null;
        if (stopped) break;
        if (claimed.length > 1) {
          s.log.warn({ err, leads: claimed.length }, "a batch of phase timers failed; running its leads one by one");
          await oneByOne(claimed);
          continue;
        }
        s.log.error({ err, leadId: claimed[0] }, "phase timer failed; trying it again later");
        if (claimed[0]) await postpone(claimed[0]);
      }
      await sleep();
    }
  };
  const running = Array.from({ length: workers }, () => loop());
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      wakeAll();
      await Promise.allSettled(running);
    },
  };
}
