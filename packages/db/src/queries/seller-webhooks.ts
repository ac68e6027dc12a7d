// A seller's status webhooks: its URL and secret, the event rows (written by triggers, migration
// 0014, and by the test button), the claim of one attempt, and the list its Webhooks page shows.
import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../client";
import { rowsOf } from "../client";
import { leads } from "../schema/leads";
import { sellerWebhookDeliveries, sellerWebhooks, type SellerEventBody } from "../schema/seller-webhooks";

export type SellerWebhookDeliveryRow = typeof sellerWebhookDeliveries.$inferSelect;

/** The seller's settings as its page shows them: never the secret. */
export async function getSellerWebhook(db: DbOrTx, sellerOrgId: string) {
  const [r] = await db
    .select({
      url: sellerWebhooks.url,
      updatedAt: sellerWebhooks.updatedAt,
      secretRotatedAt: sellerWebhooks.secretRotatedAt,
    })
    .from(sellerWebhooks)
    .where(eq(sellerWebhooks.sellerOrgId, sellerOrgId));
  return r ?? null;
}

/** URL and secret, for signing an attempt only. */
export async function getSellerWebhookForSigning(db: DbOrTx, sellerOrgId: string) {
  const [r] = await db
    .select({ url: sellerWebhooks.url, secret: sellerWebhooks.secret })
    .from(sellerWebhooks)
    .where(eq(sellerWebhooks.sellerOrgId, sellerOrgId));
  return r ?? null;
}

/**
 * Saves the URL; the secret is written only when given (a first save, or a rotation). Answers
 * whether the row is new. On conflict on the seller org: one row per seller.
 */
export async function upsertSellerWebhook(
  db: DbOrTx,
  p: { sellerOrgId: string; url: string; secret: string; userId: string | null; at: Date },
): Promise<{ created: boolean }> {
  const [r] = await db
    .insert(sellerWebhooks)
    .values({
      sellerOrgId: p.sellerOrgId,
      url: p.url,
      secret: p.secret,
      createdAt: p.at,
      updatedAt: p.at,
      secretRotatedAt: p.at,
      updatedBy: p.userId,
    })
    .onConflictDoUpdate({
      target: sellerWebhooks.sellerOrgId,
      set: { url: p.url, updatedAt: p.at, updatedBy: p.userId },
    })
    .returning({ created: sql<boolean>`(xmax = 0)` });
  return { created: r?.created === true };
}

/** A new secret for an existing webhook; false when the seller has none. */
export async function rotateSellerWebhookSecret(
  db: DbOrTx,
  p: { sellerOrgId: string; secret: string; userId: string | null; at: Date },
): Promise<boolean> {
  const r = await db
    .update(sellerWebhooks)
    .set({ secret: p.secret, secretRotatedAt: p.at, updatedAt: p.at, updatedBy: p.userId })
    .where(eq(sellerWebhooks.sellerOrgId, p.sellerOrgId))
    .returning({ id: sellerWebhooks.sellerOrgId });
  return r.length > 0;
}

/** Stops events (deliveries already written keep their history). */
export async function deleteSellerWebhook(db: DbOrTx, sellerOrgId: string): Promise<boolean> {
  const r = await db
    .delete(sellerWebhooks)
    .where(eq(sellerWebhooks.sellerOrgId, sellerOrgId))
    .returning({ id: sellerWebhooks.sellerOrgId });
  return r.length > 0;
}

/** The "send test event" row, its body written now. */
export async function insertSellerTestEvent(
  db: DbOrTx,
  p: { sellerOrgId: string; webhookId: string; body: SellerEventBody; at: Date },
): Promise<string> {
  const [r] = await db
    .insert(sellerWebhookDeliveries)
    .values({
      sellerOrgId: p.sellerOrgId,
      eventType: "webhook.test",
      webhookId: p.webhookId,
      body: p.body,
      createdAt: p.at,
    })
    .returning({ id: sellerWebhookDeliveries.id });
  return r!.id;
}

/**
 * insertSellerTestEvent within a limit per seller org: at most `limit` test events created after
 * `since`. The org's test events are counted and the new one written under a transaction-scoped
 * advisory lock on the org, so presses racing on separate connections cannot pass the limit
 * together. Answers the new row's id, or, when the limit is reached, the creation times of the
 * test events that count against it (oldest first).
 */
export async function insertSellerTestEventWithin(
  db: Db,
  p: { sellerOrgId: string; webhookId: string; body: SellerEventBody; at: Date; since: Date; limit: number },
): Promise<{ id: string } | { limitedBy: Date[] }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`seller-test-event:${p.sellerOrgId}`}))`);
    const recent = await tx
      .select({ at: sellerWebhookDeliveries.createdAt })
      .from(sellerWebhookDeliveries)
      .where(
        and(
          eq(sellerWebhookDeliveries.sellerOrgId, p.sellerOrgId),
          eq(sellerWebhookDeliveries.eventType, "webhook.test"),
          gt(sellerWebhookDeliveries.createdAt, p.since),
        ),
      )
      .orderBy(asc(sellerWebhookDeliveries.createdAt));
    if (recent.length >= p.limit) return { limitedBy: recent.map((r) => r.at) };
    return { id: await insertSellerTestEvent(tx, p) };
  });
}

/** The seller's recent deliveries, newest first, with the lead's own reference. */
export async function listSellerWebhookDeliveries(db: DbOrTx, sellerOrgId: string, limit = 50) {
  return db
    .select({
      id: sellerWebhookDeliveries.id,
      eventType: sellerWebhookDeliveries.eventType,
      webhookId: sellerWebhookDeliveries.webhookId,
      leadId: sellerWebhookDeliveries.leadId,
      externalId: leads.externalId,
      status: sellerWebhookDeliveries.status,
      attempts: sellerWebhookDeliveries.attempts,
      lastError: sellerWebhookDeliveries.lastError,
      lastStatusCode: sellerWebhookDeliveries.lastStatusCode,
      nextAttemptAt: sellerWebhookDeliveries.nextAttemptAt,
      lastAttemptAt: sellerWebhookDeliveries.lastAttemptAt,
      deliveredAt: sellerWebhookDeliveries.deliveredAt,
      createdAt: sellerWebhookDeliveries.createdAt,
    })
    .from(sellerWebhookDeliveries)
    .leftJoin(leads, eq(leads.id, sellerWebhookDeliveries.leadId))
    .where(eq(sellerWebhookDeliveries.sellerOrgId, sellerOrgId))
    .orderBy(desc(sellerWebhookDeliveries.createdAt), desc(sellerWebhookDeliveries.id))
    .limit(limit);
}

/** Rows not yet attempted for a lead (the auction's run queues them once the payout is written). */
export async function listNewSellerDeliveriesOfLead(db: DbOrTx, leadId: string): Promise<string[]> {
  const rows = await db
    .select({ id: sellerWebhookDeliveries.id })
    .from(sellerWebhookDeliveries)
    .where(
      and(
        eq(sellerWebhookDeliveries.leadId, leadId),
        eq(sellerWebhookDeliveries.status, "pending"),
        eq(sellerWebhookDeliveries.attempts, 0),
      ),
    );
  return rows.map((r) => r.id);
}

/**
 * The sweep: open rows whose attempt is due and not in flight. A never-tried row waits `graceSeconds`
 * after it was written (database time), so the run that ended the lead queues it first, with its
 * payout written; the sweep only catches what a dead process or a lost job left behind.
 */
export async function listDueSellerDeliveries(
  db: DbOrTx,
  p: { now: Date; graceSeconds: number; limit: number },
): Promise<string[]> {
  const now = p.now.toISOString();
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      select id from seller_webhook_deliveries
      where status in ('pending', 'failed')
        and (locked_until is null or locked_until < ${now}::timestamptz)
        and (case when attempts = 0 then created_at < now() - make_interval(secs => ${p.graceSeconds})
                  else next_attempt_at <= ${now}::timestamptz end)
      order by coalesce(next_attempt_at, created_at)
      limit ${p.limit}`),
  );
  return rows.map((r) => r.id);
}

/**
 * Claims one attempt: a conditional update (still open, due within `slackMs`, not claimed by an
 * attempt in flight) that sets locked_until. Null when another job has it or it is not due: two
 * jobs for one row never send it at once.
 */
export async function claimSellerDelivery(
  db: DbOrTx,
  p: { id: string; now: Date; lockUntil: Date; slackMs: number },
): Promise<SellerWebhookDeliveryRow | null> {
  const due = new Date(p.now.getTime() + p.slackMs).toISOString();
  const now = p.now.toISOString();
  const [r] = await db
    .update(sellerWebhookDeliveries)
    .set({ lockedUntil: p.lockUntil })
    .where(
      and(
        eq(sellerWebhookDeliveries.id, p.id),
        sql`${sellerWebhookDeliveries.status} in ('pending', 'failed')`,
        sql`(${sellerWebhookDeliveries.nextAttemptAt} is null or ${sellerWebhookDeliveries.nextAttemptAt} <= ${due}::timestamptz)`,
        sql`(${sellerWebhookDeliveries.lockedUntil} is null or ${sellerWebhookDeliveries.lockedUntil} < ${now}::timestamptz)`,
      ),
    )
    .returning();
  return r ?? null;
}

/** What a lead event's body says: the seller's own reference and outcome, nothing of buyers. */
export async function sellerEventFacts(db: DbOrTx, leadId: string, returnId: string | null) {
  const [r] = rowsOf<{
    id: string;
    external_id: string | null;
    vertical: string;
    status: string;
    unsold_reason: string | null;
    received_at: string | Date;
    finished_at: string | Date | null;
    payout_cents: number;
    return_reason: string | null;
    return_decided_at: string | Date | null;
    reversed_cents: number | null;
  }>(
    await db.execute(sql`
      select l.id, l.external_id, l.vertical, l.status, l.unsold_reason, l.received_at, l.finished_at,
        coalesce((select p.amount_cents from seller_payouts p where p.lead_id = l.id and p.kind = 'PAYOUT'), 0) as payout_cents,
        r.reason as return_reason, coalesce(r.decided_at, r.created_at) as return_decided_at,
        (select p.amount_cents from seller_payouts p where p.lead_id = l.id and p.kind = 'PAYOUT_REVERSAL'
          and p.return_id = r.id) as reversed_cents
      from leads l
      left join return_requests r on r.id = ${returnId}::uuid and r.lead_id = l.id
      where l.id = ${leadId}::uuid`),
  );
  if (!r) return null;
  const d = (x: string | Date | null) => (x === null ? null : new Date(x));
  return {
    leadId: r.id,
    externalId: r.external_id,
    vertical: r.vertical,
    status: r.status,
    unsoldReason: r.unsold_reason,
    receivedAt: new Date(r.received_at),
    finishedAt: d(r.finished_at),
    payoutCents: Number(r.payout_cents),
    returnReason: r.return_reason,
    returnDecidedAt: d(r.return_decided_at),
    reversedCents: r.reversed_cents === null ? null : Number(r.reversed_cents),
  };
}

/** Keeps the body the first attempt built; a body already kept stays (answers the kept one). */
export async function keepSellerEventBody(db: DbOrTx, id: string, body: SellerEventBody): Promise<SellerEventBody> {
  const [r] = rowsOf<{ body: SellerEventBody }>(
    await db.execute(sql`
      update seller_webhook_deliveries set body = coalesce(body, ${JSON.stringify(body)}::jsonb)
      where id = ${id}::uuid returning body`),
  );
  return r?.body ?? body;
}

/** The attempt's result, releasing the claim. `next` null on a failure: dead. */
export async function finishSellerAttempt(
  db: DbOrTx,
  p: { id: string; delivered: boolean; error: string | null; statusCode: number | null; next: Date | null; at: Date },
): Promise<void> {
  await db
    .update(sellerWebhookDeliveries)
    .set({
      status: p.delivered ? "delivered" : p.next ? "failed" : "dead",
      attempts: sql`${sellerWebhookDeliveries.attempts} + 1`,
      lastError: p.delivered ? null : p.error,
      lastStatusCode: p.statusCode,
      nextAttemptAt: p.delivered ? null : p.next,
      lastAttemptAt: p.at,
      deliveredAt: p.delivered ? p.at : null,
      lockedUntil: null,
    })
    .where(eq(sellerWebhookDeliveries.id, p.id));
}
