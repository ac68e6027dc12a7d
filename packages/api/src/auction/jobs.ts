// The auction's pg-boss queues: running a lead's auction in the background, and webhook delivery
// with retries, and the sweep that ends leads a dead process left behind.
import type PgBoss from "pg-boss";
import type { Services } from "../context";
import { deliveryJob } from "./delivery";
import { AUCTION_QUEUE, DELIVERY_QUEUE, ensureAuctionQueues, SWEEP_QUEUE } from "./queues";
import { runAuction } from "./run-auction";
import { sweepLeads } from "./sweep";

export async function registerAuctionJobs(boss: PgBoss, s: Services): Promise<void> {
  await ensureAuctionQueues(boss);
  await boss.work<{ leadId: string }>(AUCTION_QUEUE, { batchSize: 4, pollingIntervalSeconds: 0.5 }, async (jobs) => {
    await Promise.all(jobs.map((j) => runAuction(s, j.data.leadId)));
  });
  await boss.work<{ deliveryId: string }>(DELIVERY_QUEUE, { pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const j of jobs) await deliveryJob(s, j.data.deliveryId);
  });
  await boss.work(SWEEP_QUEUE, async () => {
    await sweepLeads(s);
  });
  await boss.schedule(SWEEP_QUEUE, "* * * * *");
}
