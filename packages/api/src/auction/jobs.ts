// The auction's pg-boss queues: running a lead's auction in the background, webhook and email
// delivery with retries (each failure queues its own next attempt), and the sweep that ends leads a dead process left behind.
import type PgBoss from "pg-boss";
import type { Services } from "../context";
import { deliveryJob } from "./delivery";
import { errorText } from "./http";
import { DELIVERY_QUEUE, ensureAuctionQueues, SWEEP_QUEUE, type DeliveryJobData } from "./queues";
import { workAuctions, type AuctionWorkerOptions } from "./auction-worker";
import { sweepLeads } from "./sweep";

/** Webhooks and emails attempted at once per worker process (outbound HTTP concurrency; docs/scaling.md). */
export const DELIVERY_BATCH = 25;

/**
 * `auctions`: the services queued auctions run with (the server's auction pool, docs/scaling.md);
 * deliveries and the sweep use `s`.
 */
export async function registerAuctionJobs(
  boss: PgBoss,
  s: Services,
  auction?: AuctionWorkerOptions,
  auctions: Services = s,
): Promise<void> {
  await ensureAuctionQueues(boss);
  await workAuctions(boss, auctions, auction);
  // pg-boss waits a polling interval after every fetch, so one job a fetch would deliver one
  // webhook a second. A batch runs at once; a job that throws (nothing recorded) fails only its
  // own job, which pg-boss retries: the batch's completion skips jobs already failed.
  await boss.work<DeliveryJobData>(
    DELIVERY_QUEUE,
    { batchSize: DELIVERY_BATCH, pollingIntervalSeconds: 1 },
    async (jobs) => {
      await Promise.all(
        jobs.map(async (j) => {
          try {
            await deliveryJob(s, j.data);
          } catch (err) {
            await boss.fail(DELIVERY_QUEUE, j.id, { message: errorText(err) });
          }
        }),
      );
    },
  );
  await boss.work(SWEEP_QUEUE, async () => {
    await sweepLeads(s);
  });
  await boss.schedule(SWEEP_QUEUE, "* * * * *");
}
