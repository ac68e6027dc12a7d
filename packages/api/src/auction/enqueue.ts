// Hands a stored lead to the auction: a pg-boss job when there is a queue, else a background run.
import type { Services } from "../context";
import { AUCTION_QUEUE, ensureAuctionQueues } from "./queues";
import { runAuction } from "./run-auction";
import { wakeAuctionWorkers } from "./auction-worker";

export async function enqueueAuction(s: Services, leadId: string): Promise<void> {
  if (!s.boss) {
    // No queue (a bare test or script): run it now in the background; runAuction never leaves
    // a lead PROCESSING, and a lead left RECEIVED can be run again.
    void runAuction(s, leadId).catch((err: unknown) => s.log.error({ err, leadId }, "background auction failed"));
    return;
  }
  await ensureAuctionQueues(s.boss);
  await s.boss.send(AUCTION_QUEUE, { leadId }, { retryLimit: 2, retryDelay: 5 });
  wakeAuctionWorkers(s.boss);
}
