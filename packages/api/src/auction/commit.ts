// Which commits must reach the disk before we go on. A commit that a later synchronous commit of
// the same lead always follows can skip the fsync: PostgreSQL writes the WAL in order, so the later
// fsync makes it durable too, and a crash before that loses only work nobody was told about
// (the lead goes back to RECEIVED and the sweep re-queues it). Sales, the final result and a
// lead whose 201 is sent before its auction stay fully synchronous.
// The statements live in @leadflow/db (queries/auction.ts); this file keeps the rule.
export { skipFsync, skipFsyncSql } from "@leadflow/db";
