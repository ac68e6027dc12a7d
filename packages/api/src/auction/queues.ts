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

/** One attempt of a webhook delivery or of an email (every email, not only leads'). */
export type DeliveryJobData = ({ deliveryId: string } | { emailId: string }) & {
  /** The attempt time this job was queued for (ISO), when it was queued for later. */
  due?: string;
};

/**
 * Queues one attempt, at `at` (now without it). Retries are not pg-boss's: each failed attempt
 * writes its next attempt time and queues a job for exactly that time, so the time a page shows
 * is the time the queue uses. pg-boss's own retries only cover a job that threw before it could
 * record anything (a database blip), and a job lost with its process is found by the sweep.
 */
export async function queueDeliveryJob(boss: PgBoss, data: DeliveryJobData, at?: Date, now?: Date): Promise<void> {
  await ensureAuctionQueues(boss);
  // `at` is in the services clock's time; the queue counts in the database's. A delay in seconds
  // (pg-boss's numeric startAfter) means the same wait in both, whatever either clock says.
  const delay = at ? Math.max(0, Math.ceil((at.getTime() - (now ?? new Date()).getTime()) / 1000)) : 0;
  const job = at ? { ...data, due: at.toISOString() } : data;
  await boss.send(DELIVERY_QUEUE, job, {
    ...(delay > 0 ? { startAfter: delay } : {}),
    retryLimit: 3,
    retryDelay: 30,
    retryBackoff: true,
  });
}
