// Running queued auctions. pg-boss hands a worker a batch and, after it, waits out the polling
// interval (0.5 s at least) before fetching again; one worker with small batches would cap intake
// at a few leads a second. So: several workers a process, and a worker that got a full batch asks
// for the next one at once (notifyWorker skips the wait). A batch ends when its slowest auction
// ends (a hung buyer holds it up to its ping deadline), which is why there are several.
import type PgBoss from "pg-boss";
import type { Services } from "../context";
import { AUCTION_QUEUE } from "./queues";
import { runAuctions } from "./run-auction";

export interface AuctionWorkerOptions {
  /** Workers in this process (each fetches its own batches). */
  workers: number;
  /** Leads a worker runs at once. */
  batchSize: number;
  /**
   * How long an idle worker waits before looking again (pg-boss's polling interval; 0.5 s, its
   * floor, by default). Queued leads wake a worker, so this only bounds how late a job that
   * nobody announced (another process's, a retry) is picked up.
   */
  pollingIntervalSeconds?: number;
}

export const AUCTION_WORKERS: AuctionWorkerOptions = { workers: 4, batchSize: 16 };

const workerIds = new WeakMap<PgBoss, string[]>();

export async function workAuctions(
  boss: PgBoss,
  s: Services,
  opts: AuctionWorkerOptions = AUCTION_WORKERS,
): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < opts.workers; i++) {
    let self = "";
    self = await boss.work<{ leadId: string }>(
      AUCTION_QUEUE,
      { batchSize: opts.batchSize, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5 },
      async (jobs) => {
        // One statement starts the whole batch. After that nothing throws: a failed auction ends its
        // lead and is recorded on its timeline. If the start fails, the jobs fail and are retried.
        await runAuctions(s, [...new Set(jobs.map((j) => j.data.leadId))]);
        if (jobs.length === opts.batchSize && self) boss.notifyWorker(self);
      },
    );
    ids.push(self);
  }
  workerIds.set(boss, ids);
}

let turn = 0;

/**
 * A lead was just queued: wake one of this process's auction workers (in turn) so the lead need
 * not wait for a poll. A busy worker fetches again as soon as its batch ends.
 */
export function wakeAuctionWorkers(boss: PgBoss): void {
  const ids = workerIds.get(boss);
  if (!ids || ids.length === 0) return;
  boss.notifyWorker(ids[turn++ % ids.length]!);
}
