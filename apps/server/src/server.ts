import { ensureAuctionQueues, registerJobs, startLease, type Lease, type Services } from "@leadflow/api";
import { PHASE_TIMER_QUEUE } from "@leadflow/api/marketplace/routing";
import { createBoss, createDb, migrateDb, type DbHandle } from "@leadflow/db";
import { systemClock } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type PgBoss from "pg-boss";
import pino from "pino";
import { buildApp } from "./app";
import { resolveCallSettings } from "./calls-settings";
import type { Config } from "./config";

export interface Running {
  /** null in a worker-only process (RUN_HTTP=false). */
  app: FastifyInstance | null;
  handle: DbHandle;
  boss: PgBoss;
  services: Services;
  /** "" when not listening. */
  url: string;
  close(): Promise<void>;
}

/** One Node process: database, migrations, job queue and workers, HTTP. */
export async function startServer(config: Config): Promise<Running> {
  const log = pino({ level: config.LOG_LEVEL, base: { svc: "leadflow" } });
  const handle = await createDb(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE, prepare: config.DATABASE_PREPARED_STATEMENTS } : { dataDir: config.DATA_DIR });
  log.info({ db: handle.kind }, "database open; applying migrations");
  const boss = createBoss(handle);
  boss.on("error", (err) => log.error({ err }, "job queue error"));
  const services: Services = { db: handle.db, handle, clock: systemClock, log, boss, publicUrl: config.publicUrl, smtpUrl: config.SMTP_URL };
  let lease: Lease | null = null;
  await oneAtATime(handle, async () => {
    await migrateDb(handle);
    // Before any auction starts here (queued, or a waiting source's over HTTP): each is marked
    // with this process's lease, and workers reclaim the auctions of processes whose lease expired.
    lease = await startLease(services, { reclaim: config.RUN_WORKERS });
    services.lease = { owner: lease.owner };
    await boss.start();
    if (config.RUN_WORKERS) await registerJobs(boss, services, { auction: { workers: config.AUCTION_WORKERS, batchSize: config.AUCTION_BATCH_SIZE } });
    else {
      // An API node only sends jobs; the queues must exist before its first send.
      await ensureAuctionQueues(boss);
      await boss.createQueue(PHASE_TIMER_QUEUE);
    }
  });
  if (!config.RUN_HTTP) {
    log.info({ workers: config.RUN_WORKERS }, "worker-only process: not listening");
    return { app: null, handle, boss, services, url: "", close: () => closeAll(null, boss, handle, lease) };
  }
  const app = await buildApp({ services, dashboardDir: config.DASHBOARD_DIR, cookieSecure: config.COOKIE_SECURE, calls: resolveCallSettings(config, log), rateLimits: {
      loginPerAccount: config.LOGIN_RATE_LIMIT,
      intakePerKey: config.INTAKE_RATE_LIMIT_PER_KEY,
      intakePerAddress: config.INTAKE_RATE_LIMIT_PER_ADDRESS,
      inquiryPerAddress: config.INQUIRY_RATE_LIMIT,
    }, trustProxy: config.TRUST_PROXY });
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  log.info({ address }, "listening");
  return {
    app,
    handle,
    boss,
    services,
    url: address,
    close: () => closeAll(app, boss, handle, lease),
  };
}

/**
 * Processes start one at a time through migrations and pg-boss queue creation: creating a queue
 * attaches a partition to pg-boss's job table, and two processes doing it at once on a new
 * database deadlock (seen when several nodes start together). A transaction-scoped advisory lock
 * on PostgreSQL; PGlite is one process anyway.
 */
async function oneAtATime(handle: DbHandle, fn: () => Promise<void>): Promise<void> {
  if (handle.kind !== "postgres") return fn();
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('leadflow:startup'))`);
    await fn();
  });
}

async function closeAll(app: FastifyInstance | null, boss: PgBoss, handle: DbHandle, lease: Lease | null): Promise<void> {
  await app?.close();
  await boss.stop({ graceful: true, timeout: 5000, wait: true });
  await lease?.stop();
  await handle.close();
}
