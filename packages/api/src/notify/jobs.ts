// The notification queue: one job per attempt of one message, plus a sweep for jobs lost in a crash.
import type PgBoss from "pg-boss";
import type { Services } from "../context";
import { warmUpSms } from "./channels";
import { attemptNotification, NOTIFY_QUEUE, sweepNotifications } from "./send";

/** Notification workers in each process (each polls on its own). */
export const NOTIFY_WORKERS = 4;

export const NOTIFY_QUEUES = { send: NOTIFY_QUEUE, sweep: "dj-notify-sweep" } as const;

/** The queue must exist before any offer is written (its job is sent inside the offer's transaction). */
export async function ensureNotifyQueues(boss: PgBoss): Promise<void> {
  await boss.createQueue(NOTIFY_QUEUES.send);
}

export async function registerNotifyJobs(boss: PgBoss, s: Services): Promise<void> {
  const svc = { ...s, boss };
  warmUpSms(s.notify?.twilio ?? null);
  await ensureNotifyQueues(boss);
  // pg-boss polls (every 0.5 s at the least) and fetches the next batch only when one is done:
  // several small workers keep a message from waiting behind another's slow channel, and their
  // polls interleave, so a new message waits a fraction of the interval (the p99 ≤ 5 s target).
  for (let i = 0; i < NOTIFY_WORKERS; i++) {
    await boss.work<{ id: string }>(NOTIFY_QUEUES.send, { pollingIntervalSeconds: 0.5, batchSize: 5 }, async (jobs) => {
      const results = await Promise.allSettled(jobs.map((j) => attemptNotification(svc, j.data.id)));
      const failed = results.find((r) => r.status === "rejected");
      if (failed) {
        s.log.error({ err: failed.reason }, "DJ notification job failed");
        throw failed.reason;
      }
    });
  }
  await boss.createQueue(NOTIFY_QUEUES.sweep);
  await boss.work(NOTIFY_QUEUES.sweep, async () => {
    const n = await sweepNotifications(svc);
    if (n > 0) s.log.warn({ messages: n }, "lost DJ notifications queued again");
  });
  await boss.schedule(NOTIFY_QUEUES.sweep, "* * * * *");
}
