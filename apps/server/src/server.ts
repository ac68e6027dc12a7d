import {
  ensureAuctionQueues,
  ensureNotifyQueues,
  holdsWritten,
  type Lease,
  marketTime,
  outboundPolicy,
  registerJobs,
  type Services,
  startLease,
} from "@leadflow/api";
import {
  createBoss,
  createDb,
  isDatabaseUnavailable,
  lockStartup,
  migrateDb,
  pingDatabase,
  type DbHandle,
} from "@leadflow/db";
import { systemClock } from "@leadflow/engine";
import type { FastifyInstance } from "fastify";
import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import { buildApp } from "./app";
import { resolveCallSettings } from "./calls-settings";
import { resolveNotifySettings } from "./notify-settings";
import { consentSettings, litigatorSettings, type Config } from "./config";
import { createLogger, throttledWarn } from "./log";

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
  const log = createLogger(config.LOG_LEVEL);
  keepRunningThroughOutages(log);
  const handle = await createDb(
    config.DATABASE_URL
      ? {
          databaseUrl: config.DATABASE_URL,
          max: config.DATABASE_POOL_SIZE,
          applicationName: "leadflow",
          prepare: config.DATABASE_PREPARED_STATEMENTS,
          connectTimeoutSeconds: config.DATABASE_CONNECT_TIMEOUT,
        }
      : { dataDir: config.DATA_DIR },
  );
  await waitForDatabase(handle, log);
  // The auction's own pool (DATABASE_AUCTION_POOL_SIZE): PGlite has one connection to share.
  const auctionHandle =
    config.DATABASE_URL && config.DATABASE_AUCTION_POOL_SIZE > 0
      ? await createDb({
          databaseUrl: config.DATABASE_URL,
          max: config.DATABASE_AUCTION_POOL_SIZE,
          applicationName: "leadflow auction",
          prepare: config.DATABASE_PREPARED_STATEMENTS,
          connectTimeoutSeconds: config.DATABASE_CONNECT_TIMEOUT,
        })
      : null;
  const handles = auctionHandle ? [handle, auctionHandle] : [handle];
  log.info({ db: handle.kind }, "database open; applying migrations");
  const boss = createBoss(handle);
  // While the database is away every worker's poll fails: one line every few seconds, not hundreds.
  const outage = throttledWarn(log);
  boss.on("error", (err) =>
    isDatabaseUnavailable(err)
      ? outage({ err }, "job queue: database unavailable; retrying")
      : log.error({ err }, "job queue error"),
  );
  marketTime.scale = config.MARKET_TIME_SCALE;
  if (config.MARKET_TIME_SCALE !== 1)
    log.warn(
      { scale: config.MARKET_TIME_SCALE },
      "MARKET_TIME_SCALE: DJ routing windows run faster than real time (staging and demos only)",
    );
  // The caller-hash secret also keys the suppression lists' hashes, so workers need it too.
  const calls = resolveCallSettings(config, log);
  const services: Services = {
    personHashSecret: calls.callerHashSecret,
    db: handle.db,
    handle,
    clock: systemClock,
    log,
    boss,
    publicUrl: config.publicUrl,
    smtpUrl: config.SMTP_URL,
    smtpFrom: config.SMTP_FROM,
    smtpReplyTo: config.SMTP_REPLY_TO,
    outbound: outboundPolicy(config.OUTBOUND_ALLOW),
    consent: consentSettings(config),
    litigator: litigatorSettings(config),
  };
  let lease: Lease | null = null;
  // The same services on the auction's pool; set below, once the lease and notify settings are in.
  let auctionServices = services;
  await oneAtATime(handle, async () => {
    await migrateDb(handle);
    services.notify = await resolveNotifySettings(handle.db, config, log);
    // Before any auction starts here (queued, or a waiting source's over HTTP): each is marked
    // with this process's lease, and workers reclaim the auctions of processes whose lease expired.
    lease = await startLease(services, { reclaim: config.RUN_WORKERS });
    services.lease = { owner: lease.owner };
    if (auctionHandle) auctionServices = { ...services, db: auctionHandle.db };
    await boss.start();
    if (config.RUN_WORKERS)
      await registerJobs(boss, services, {
        auction: { workers: config.AUCTION_WORKERS, batchSize: config.AUCTION_BATCH_SIZE },
        auctionServices,
      });
    else {
      // An API node only sends jobs; the queues must exist before its first send.
      await ensureAuctionQueues(boss);
      await ensureNotifyQueues(boss); // offers written here send their messages' jobs
    }
  });
  if (!config.RUN_HTTP) {
    log.info({ workers: config.RUN_WORKERS }, "worker-only process: not listening");
    return { app: null, handle, boss, services, url: "", close: () => closeAll(null, boss, handles, lease) };
  }
  const app = await buildApp({
    services,
    auctionServices,
    dashboardDir: config.DASHBOARD_DIR,
    cookieSecure: config.COOKIE_SECURE,
    calls,
    rateLimits: {
      loginPerAccount: config.LOGIN_RATE_LIMIT,
      intakePerKey: config.INTAKE_RATE_LIMIT_PER_KEY,
      intakePerAddress: config.INTAKE_RATE_LIMIT_PER_ADDRESS,
      inquiryPerAddress: config.INQUIRY_RATE_LIMIT,
      couplePerAddress: config.COUPLE_RATE_LIMIT,
    },
    trustProxy: config.TRUST_PROXY,
  });
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  log.info({ address }, "listening");
  return {
    app,
    handle,
    boss,
    services,
    url: address,
    close: () => closeAll(app, boss, handles, lease),
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
    await lockStartup(tx);
    await fn();
  });
}

/**
 * What ends the process. Losing the database does not: a connection that fails or is cut rejects
 * the query that used it (answered 503, or retried by pg-boss), and should such a rejection reach
 * the process unhandled, it is logged and the process goes on, to work again when the database is
 * back. Anything else unhandled is a bug: logged, and the process exits for its supervisor to
 * restart it, as Node does by default.
 */
let policyInstalled = false;
export function keepRunningThroughOutages(log: Logger): void {
  if (policyInstalled) return;
  policyInstalled = true;
  const outage = throttledWarn(log);
  const handle = (what: string) => (err: unknown) => {
    if (isDatabaseUnavailable(err)) return outage({ err }, `${what} while the database is unavailable; carrying on`);
    log.fatal({ err }, `${what}; exiting`);
    process.exit(1);
  };
  process.on("unhandledRejection", handle("unhandled rejection"));
  process.on("uncaughtException", handle("uncaught exception"));
}

/** A process started while the database is away waits for it (and says so) instead of exiting. */
async function waitForDatabase(handle: DbHandle, log: Logger): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await pingDatabase(handle.db);
      return;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      if (attempt % 10 === 0) log.warn({ err }, "waiting for the database");
      await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 5000)));
    }
  }
}

async function closeAll(
  app: FastifyInstance | null,
  boss: PgBoss,
  handles: DbHandle[],
  lease: Lease | null,
): Promise<void> {
  await app?.close();
  // Pings answered just before the close: their holds are still being written (sellers/hold-writer.ts).
  await holdsWritten();
  await boss.stop({ graceful: true, timeout: 5000, wait: true });
  await lease?.stop();
  for (const h of handles) await h.close();
}
