// Queue names, and creating the queues on first use so a server without workers can enqueue.
import type PgBoss from "pg-boss";

export const AUCTION_QUEUE = "auction-run";
export const DELIVERY_QUEUE = "lead-delivery";
export const SWEEP_QUEUE = "lead-sweep";

const ready = new WeakSet<PgBoss>();

export async function ensureAuctionQueues(boss: PgBoss): Promise<void> {
  if (ready.has(boss)) return;
  await boss.createQueue(AUCTION_QUEUE);
  await boss.createQueue(DELIVERY_QUEUE);
  await boss.createQueue(SWEEP_QUEUE);
  ready.add(boss);
}
