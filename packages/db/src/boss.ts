import PgBoss from "pg-boss";
import type { DbHandle } from "./client";

/**
 * The durable job queue, on whichever database we have: its own pool on a PostgreSQL server,
 * or our single PGlite connection through the executeSql adapter.
 */
export function createBoss(handle: DbHandle, opts: { schema?: string } = {}): PgBoss {
  const schema = opts.schema ?? "pgboss";
  if (handle.kind === "postgres") {
    return new PgBoss({ connectionString: handle.url!, schema, max: 4 });
  }
  return new PgBoss({ db: handle.bossDb, schema });
}
