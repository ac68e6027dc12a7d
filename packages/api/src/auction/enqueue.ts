// Hands a stored lead to the auction: a pg-boss job when there is a queue, else a background run.
//
// Leads arriving together share one insert: while one insert of jobs is on its way, the leads
// that arrive wait for it to finish and then go in the next one, together (pg-boss's insert takes
// many jobs in one statement). An idle server therefore inserts at once, and a busy one makes one
// round trip for many leads instead of one each. Every caller still returns only after its own
// job is committed, and if an insert fails, each of its callers gets the error.
import type PgBoss from "pg-boss";
import type { Services } from "../context";
import { AUCTION_QUEUE, ensureAuctionQueues } from "./queues";
import { runAuction } from "./run-auction";
import { wakeAuctionWorkers } from "./auction-worker";

/** How often a lead's auction job is retried if its worker throws (runAuction itself never does). */
const RETRY = { retryLimit: 2, retryDelay: 5 } as const;
/** Jobs in one insert at most. */
const MAX_BATCH = 200;

interface Waiting {
  leadId: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Inserter {
  waiting: Waiting[];
  busy: boolean;
}

const inserters = new WeakMap<PgBoss, Inserter>();

export async function enqueueAuction(s: Services, leadId: string): Promise<void> {
  if (!s.boss) {
    // No queue (a bare test or script): run it now in the background; runAuction never leaves
    // a lead PROCESSING, and a lead left RECEIVED can be run again.
    void runAuction(s, leadId).catch((err: unknown) => s.log.error({ err, leadId }, "background auction failed"));
    return;
  }
  await ensureAuctionQueues(s.boss);
  await insertJob(s.boss, leadId);
  wakeAuctionWorkers(s.boss);
}

function insertJob(boss: PgBoss, leadId: string): Promise<void> {
  let ins = inserters.get(boss);
  if (!ins) inserters.set(boss, (ins = { waiting: [], busy: false }));
  const queued = new Promise<void>((resolve, reject) => ins.waiting.push({ leadId, resolve, reject }));
  if (!ins.busy) void flush(boss, ins);
  return queued;
}

async function flush(boss: PgBoss, ins: Inserter): Promise<void> {
  ins.busy = true;
  try {
    while (ins.waiting.length > 0) {
      const batch = ins.waiting.splice(0, MAX_BATCH);
      try {
        await boss.insert(batch.map((w) => ({ name: AUCTION_QUEUE, data: { leadId: w.leadId }, ...RETRY })));
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  } finally {
    ins.busy = false;
  }
}
