// The email outbox: one row per message (its Message-ID unique, so a write is never doubled), a
// claim that moves it to `sending` in a committed write before SMTP hears of it, and the
// conditional updates that record how the attempt ended.
import { and, desc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { deliveries, emailOutbox } from "../schema";

export type OutboxRow = typeof emailOutbox.$inferSelect;
export type OutboxInsert = typeof emailOutbox.$inferInsert;

/** Writes the email unless one with its key exists (on conflict do nothing); undefined then. */
export async function insertOutboxIfAbsent(db: DbOrTx, values: OutboxInsert): Promise<string | undefined> {
  const [made] = await db.insert(emailOutbox).values(values).onConflictDoNothing().returning({ id: emailOutbox.id });
  return made?.id;
}

export async function getOutboxIdByMessageId(db: DbOrTx, messageId: string): Promise<string | undefined> {
  const [had] = await db.select({ id: emailOutbox.id }).from(emailOutbox).where(eq(emailOutbox.messageId, messageId));
  return had?.id;
}

export async function getOutbox(db: DbOrTx, id: string): Promise<OutboxRow | undefined> {
  const [m] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  return m;
}

/** `unknown`, only while the row is still `sending` from the same start (sendingAt). */
export async function markOutboxUnknown(
  tx: DbOrTx,
  m: Pick<OutboxRow, "id" | "sendingAt">,
  error: string,
): Promise<OutboxRow | undefined> {
  const [hit] = await tx
    .update(emailOutbox)
    .set({ status: "unknown", error, nextAttemptAt: null })
    .where(
      and(
        eq(emailOutbox.id, m.id),
        eq(emailOutbox.status, "sending"),
        m.sendingAt ? eq(emailOutbox.sendingAt, m.sendingAt) : isNull(emailOutbox.sendingAt),
      ),
    )
    .returning();
  return hit;
}

/** Claims a queued or failed row whose next attempt is due by `dueBy`: `sending`, attempts + 1. */
export async function claimOutboxForSending(
  db: DbOrTx,
  id: string,
  at: Date,
  dueBy: Date,
): Promise<OutboxRow | undefined> {
  const [claimed] = await db
    .update(emailOutbox)
    .set({ status: "sending", sendingAt: at, attempts: sql`${emailOutbox.attempts} + 1` })
    .where(
      and(
        eq(emailOutbox.id, id),
        inArray(emailOutbox.status, ["queued", "failed"]),
        or(isNull(emailOutbox.nextAttemptAt), lte(emailOutbox.nextAttemptAt, dueBy)),
      ),
    )
    .returning();
  return claimed;
}

export async function markOutboxSent(tx: DbOrTx, id: string, at: Date): Promise<void> {
  await tx
    .update(emailOutbox)
    .set({ status: "sent", sentAt: at, error: null, responseCode: null, nextAttemptAt: null })
    .where(eq(emailOutbox.id, id));
}

/** The attempt failed (next attempt at `next`) or died; only while the row is `sending`. */
export async function markOutboxFailed(
  tx: DbOrTx,
  id: string,
  set: { status: "failed" | "dead"; error: string; responseCode: number | null; nextAttemptAt: Date | null },
): Promise<OutboxRow | undefined> {
  const [row] = await tx
    .update(emailOutbox)
    .set(set)
    .where(and(eq(emailOutbox.id, id), eq(emailOutbox.status, "sending")))
    .returning();
  return row;
}

/** Queues a dead or unknown email anew (orgId scopes it; null: any); undefined when none matched. */
export async function requeueOutbox(tx: DbOrTx, id: string, orgId: string | null): Promise<OutboxRow | undefined> {
  const [m] = await tx
    .update(emailOutbox)
    .set({ status: "queued", attempts: 0, nextAttemptAt: null, sendingAt: null })
    .where(
      and(
        eq(emailOutbox.id, id),
        inArray(emailOutbox.status, ["dead", "unknown"]),
        orgId === null ? undefined : eq(emailOutbox.orgId, orgId),
      ),
    )
    .returning();
  return m;
}

/** A dead delivery back to pending (an email of it is being resent). */
export async function reopenDeadDelivery(tx: DbOrTx, id: string): Promise<void> {
  await tx
    .update(deliveries)
    .set({ status: "pending", nextAttemptAt: null })
    .where(and(eq(deliveries.id, id), eq(deliveries.status, "dead")));
}

/** Whether the email exists and is visible to orgId (null: any). */
export async function outboxExists(db: DbOrTx, id: string, orgId: string | null): Promise<boolean> {
  const [seen] = await db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.id, id), orgId === null ? undefined : eq(emailOutbox.orgId, orgId)));
  return Boolean(seen);
}

/** Queued or failed rows whose job was lost, and rows `sending` since before `overdue` (500). */
export function listOverdueOutbox(db: DbOrTx, overdue: Date): Promise<OutboxRow[]> {
  return db
    .select()
    .from(emailOutbox)
    .where(
      or(
        and(eq(emailOutbox.status, "queued"), lt(emailOutbox.createdAt, overdue)),
        and(eq(emailOutbox.status, "failed"), lt(emailOutbox.nextAttemptAt, overdue)),
        and(eq(emailOutbox.status, "sending"), lt(emailOutbox.sendingAt, overdue)),
      ),
    )
    .limit(500);
}

/** A page of the outbox, newest first; orgId scopes it (null: all). */
export function listOutboxPage(
  db: DbOrTx,
  orgId: string | null,
  q: { status?: string; limit: number; before?: Date },
): Promise<OutboxRow[]> {
  return db
    .select()
    .from(emailOutbox)
    .where(
      and(
        orgId === null ? undefined : eq(emailOutbox.orgId, orgId),
        q.status ? eq(emailOutbox.status, q.status) : undefined,
        q.before ? lt(emailOutbox.createdAt, q.before) : undefined,
      ),
    )
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(q.limit);
}

export function listOutboxOfDeliveries(db: DbOrTx, deliveryIds: string[]): Promise<OutboxRow[]> {
  return db.select().from(emailOutbox).where(inArray(emailOutbox.deliveryId, deliveryIds));
}
