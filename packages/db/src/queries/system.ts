// The server's own statements: the health probe and the lock that serialises process start-up.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

/** `select 1`: rejects when the database does not answer. */
export async function pingDatabase(db: DbOrTx): Promise<void> {
  await db.execute(sql`select 1`);
}

/** Takes the start-up advisory lock (pg_advisory_xact_lock), held until the transaction ends. */
export async function lockStartup(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('leadflow:startup'))`);
}
