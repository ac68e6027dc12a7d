// This process's lease: a worker_leases row renewed every LEASE_RENEW_MS, whose owner id marks
// every auction the process starts (leads.processing_owner). A process that dies stops renewing;
// LEASE_EXPIRES_MS later its leads count as stranded, and the next reclaim pass of any worker
// process (every RECLAIM_EVERY_MS, here) runs them again or ends them (sweep.ts reclaimStranded).
// So a lead a dead process left is picked up within about 30 s, not the sweep's 15 minutes.
//
// The pass is a timer in each worker process, not a pg-boss job: pg-boss schedules by the minute,
// and a self-rescheduling job chain breaks exactly when the process running it dies. Passes of
// several processes may overlap; every change they make is a conditional update, so each lead is
// taken over (or ended) once. Lease times are the database's now(), so clocks need not agree.
import { deleteWorkerLease, insertWorkerLease, renewWorkerLease } from "@leadflow/db";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Services } from "../context";
import type { AuctionRun } from "./run-auction";
import { LEASE_RENEW_MS, RECLAIM, RECLAIM_EVERY_MS, reclaimStranded, type ReclaimOptions } from "./sweep";

export interface LeaseOptions {
  /** Look for stranded leads (worker processes). */
  reclaim: boolean;
  renewMs?: number;
  reclaimEveryMs?: number;
  windows?: ReclaimOptions;
}

export interface Lease {
  owner: string;
  /** Stops renewing and reclaiming, waits for auctions this process took over, then gives the lease up. */
  stop(): Promise<void>;
}

/** Takes a lease for this process (before it starts any auction) and keeps it renewed. */
export async function startLease(s: Services, opts: LeaseOptions): Promise<Lease> {
  const owner = randomUUID();
  await insertWorkerLease(s.db, owner, process.pid, hostname());
  let lastRenewed = performance.now();
  let stopped = false;
  const renewMs = opts.renewMs ?? LEASE_RENEW_MS;
  const windows = opts.windows ?? RECLAIM;
  const renew = setInterval(() => {
    void renewWorkerLease(s.db, owner, process.pid, hostname())
      .then(() => {
        const gap = performance.now() - lastRenewed;
        // Stalled past the expiry: other processes may have taken this process's auctions over.
        // Those runs can no longer sell or write (the attempt moved on); nothing else to do.
        if (gap > windows.expiresMs)
          s.log.warn(
            { owner, gapMs: Math.round(gap) },
            "lease renewed late; auctions running here may have been taken over",
          );
        lastRenewed = performance.now();
      })
      .catch((err: unknown) => s.log.error({ err, owner }, "could not renew the lease"));
  }, renewMs);
  renew.unref();

  const runs = new Set<Promise<AuctionRun>>();
  let passing: Promise<void> | null = null;
  const pass = () => {
    if (stopped || passing) return;
    passing = reclaimStranded(s, windows)
      .then((r) => {
        for (const run of r.runs) {
          runs.add(run);
          void run.finally(() => runs.delete(run));
        }
      })
      .catch((err: unknown) => s.log.error({ err }, "reclaiming stranded leads failed"))
      .finally(() => (passing = null));
  };
  const reclaim = opts.reclaim ? setInterval(pass, opts.reclaimEveryMs ?? RECLAIM_EVERY_MS) : null;
  reclaim?.unref();

  return {
    owner,
    async stop() {
      stopped = true;
      clearInterval(renew);
      if (reclaim) clearInterval(reclaim);
      await passing;
      await Promise.allSettled([...runs]);
      await deleteWorkerLease(s.db, owner);
    },
  };
}
