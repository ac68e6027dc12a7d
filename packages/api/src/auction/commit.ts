// Which commits must reach the disk before we go on. A commit that a later synchronous commit of
// the same lead always follows can skip the fsync: PostgreSQL writes the WAL in order, so the later
// fsync makes it durable too, and a crash before that loses only work nobody was told about
// (the lead goes back to RECEIVED and the sweep re-queues it). Sales, the final result and a
// lead whose 201 is sent before its auction stay fully synchronous.
import type { DbOrTx } from "@leadflow/db";
import { sql } from "drizzle-orm";

export async function skipFsync(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`set local synchronous_commit = off`);
}

/**
 * The same for a single statement (its own transaction): select it anywhere in the statement and
 * the statement's commit skips the fsync. set_config(…, true) lasts until the transaction ends,
 * and an implicit transaction ends with the statement.
 */
export const skipFsyncSql = sql`set_config('synchronous_commit', 'off', true)`;
