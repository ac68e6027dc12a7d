// The phase timer sweeper (issue 17, item 6): each worker process runs a few loops that claim due
// leads (market_leads.due_at, FOR UPDATE SKIP LOCKED) and run their phase timers, instead of one
// pg-boss job per phase. Any number of processes can run it: a lead is claimed by one loop at a
// time, and every move is still a compare-and-set on phase_seq.
import { setMarketLeadDue } from "@leadflow/db";
import type { RoutingConfig } from "@leadflow/engine";
import type { MarketServices } from "./common";
import { onPhaseDue, runDueTransition, type DueTransition } from "./routing";
import { loadRoutingConfig } from "./settings";

export interface SweeperOptions {
  /** Loops in this process, each with its own connection while it works (default 4). */
  workers?: number;
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

export function startPhaseTimerSweeper(s: MarketServices, opts: SweeperOptions = {}): PhaseTimerSweeper {
  const workers = opts.workers ?? 4;
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

  const loop = async () => {
    while (!stopped) {
      let claimed: string | null = null;
      try {
        const done = await runDueTransition(s, { config: await config(), onClaim: (id) => (claimed = id) });
        if (done) {
          opts.onHandled?.(done);
          continue; // more may be due: look again at once
        }
      } catch (err) {
        cached = null;
        if (stopped) break;
        s.log.error({ err, leadId: claimed }, "phase timer failed; trying it again later");
        // Its transaction rolled back; put it behind the others so one bad lead cannot stall the loop.
        if (claimed)
          await setMarketLeadDue(s.db, claimed, new Date(s.clock.now().getTime() + retryMs)).catch((e: unknown) =>
            s.log.error({ err: e, leadId: claimed }, "could not postpone a failed phase timer"),
          );
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
