import PgBoss from "pg-boss";
import { DEFAULT_CONNECT_TIMEOUT_SECONDS, type DbHandle } from "./client";

/**
 * The durable job queue, on whichever database we have: its own pool on a PostgreSQL server,
 * or our single PGlite connection through the executeSql adapter.
 *
 * When the server goes away pg-boss keeps running: its loops (fetching, maintenance, cron) report
 * each failed round as an 'error' event and try again, and a job's completion is retried until
 * the database is back (patches/pg-boss@10.4.2.patch), so the caller must listen to 'error'.
 */
export function createBoss(handle: DbHandle, opts: { schema?: string } = {}): PgBoss {
  const schema = opts.schema ?? "pgboss";
  if (handle.kind === "postgres") {
    // node-postgres waits for a connection for ever by default; give up as postgres.js does.
    const connectionTimeoutMillis = (handle.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000;
    return new PgBoss({
      connectionString: handle.url!,
      schema,
      max: 4,
      connectionTimeoutMillis,
    } as PgBoss.ConstructorOptions);
  }
  return new PgBoss({ db: handle.bossDb, schema });
}
