// Background work runs as pg-boss jobs, so it survives restarts and runs once across workers.
// Each domain adds a register function here.
import { deleteExpiredSessions } from "@leadflow/db";
import type PgBoss from "pg-boss";
import { registerAnalyticsJobs } from "./analytics/jobs";
import { registerAuctionJobs } from "./auction/jobs";
import type { AuctionWorkerOptions } from "./auction/auction-worker";
import type { Services } from "./context";
import { registerRetentionJobs } from "./compliance/retention/service";
import { registerMarketplaceJobs } from "./marketplace/jobs";
import { registerNotifyJobs } from "./notify/jobs";
import { registerCoupleJobs } from "./marketplace/couples/notify";
import { registerCalendarJobs } from "./marketplace/calendars/calendars";
import { registerReturnsJobs } from "./returns/jobs";
import { registerSellerWebhookJobs } from "./sellers/webhook-delivery";

export const QUEUES = {
  sessionsCleanup: "sessions-cleanup",
} as const;

async function registerFoundationJobs(boss: PgBoss, s: Services) {
  await boss.createQueue(QUEUES.sessionsCleanup);
  await boss.work(QUEUES.sessionsCleanup, async () => {
    const removed = await deleteExpiredSessions(s.db, s.clock.now());
    s.log.info({ removed }, "expired sessions removed");
  });
  await boss.schedule(QUEUES.sessionsCleanup, "17 * * * *");
}

/** Starts every worker and schedule. Called by the server when RUN_WORKERS is on. */
export async function registerJobs(
  boss: PgBoss,
  s: Services,
  opts: { auction?: AuctionWorkerOptions; auctionServices?: Services } = {},
): Promise<void> {
  await registerFoundationJobs(boss, s);
  await registerAuctionJobs(boss, s, opts.auction, opts.auctionServices);
  await registerNotifyJobs(boss, s);
  await registerCoupleJobs(boss, s);
  await registerCalendarJobs(boss, s);
  await registerMarketplaceJobs(boss, s);
  await registerAnalyticsJobs(boss, s);
  await registerReturnsJobs(boss, s);
  await registerSellerWebhookJobs(boss, s);
  await registerRetentionJobs(boss, s);
}
