// A buyer's money (docs/billing.md): its billing settings, top-ups, the ledger and the balance the
// ledger's triggers keep, monthly statements, the accounts-receivable summary and the low-balance
// crossings still to be emailed. Charges, releases and return credits are written by triggers
// (migration buyer_money), never here: the ledger is appended to, never edited.
import { and, asc, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { rowsOf } from "../client";
import { buyerBalances, buyerLedger, buyers, orgs } from "../schema";

export type BuyerLedgerRow = typeof buyerLedger.$inferSelect;

export interface BillingSettings {
  billingMode: "PREPAID" | "CREDIT_LIMIT" | "INVOICED";
  creditLimitCents: number | null;
  lowBalanceThresholdCents: number | null;
  budgetDailyCents: number | null;
  budgetMonthlyCents: number | null;
}

/** The buyer's billing settings, with its org and zone; undefined: no such buyer. */
export async function getBuyerBilling(db: DbOrTx, buyerId: string) {
  const [r] = await db
    .select({
      id: buyers.id,
      name: buyers.name,
      orgId: buyers.orgId,
      timeZone: buyers.timeZone,
      notificationEmail: buyers.notificationEmail,
      billingMode: buyers.billingMode,
      creditLimitCents: buyers.creditLimitCents,
      lowBalanceThresholdCents: buyers.lowBalanceThresholdCents,
      budgetDailyCents: buyers.budgetDailyCents,
      budgetMonthlyCents: buyers.budgetMonthlyCents,
      balanceCents: sql<number>`coalesce(${buyerBalances.balanceCents}, 0)`.mapWith(Number),
    })
    .from(buyers)
    .leftJoin(buyerBalances, eq(buyerBalances.buyerId, buyers.id))
    .where(eq(buyers.id, buyerId));
  return r;
}

/** Writes the settings; returns the row before, for the caller's audit (undefined: no such buyer). */
export async function updateBuyerBilling(db: DbOrTx, buyerId: string, s: BillingSettings) {
  const [r] = await db
    .update(buyers)
    .set({ ...s, updatedAt: new Date() })
    .where(eq(buyers.id, buyerId))
    .returning({ id: buyers.id });
  return r;
}

/**
 * A top-up, once per idempotency key: a second submit with the same key writes nothing and
 * returns the first entry (created false).
 */
export async function insertTopUp(
  db: DbOrTx,
  t: { buyerId: string; amountCents: number; note: string | null; key: string; by: string | null; at?: Date },
): Promise<{ entry: BuyerLedgerRow; created: boolean }> {
  const [entry] = await db
    .insert(buyerLedger)
    .values({
      buyerId: t.buyerId,
      kind: "TOP_UP",
      amountCents: t.amountCents,
      note: t.note,
      idempotencyKey: t.key,
      createdBy: t.by,
      ...(t.at ? { createdAt: t.at } : {}),
    })
    .onConflictDoNothing({ target: [buyerLedger.buyerId, buyerLedger.idempotencyKey] })
    .returning();
  if (entry) return { entry, created: true };
  const [first] = await db
    .select()
    .from(buyerLedger)
    .where(and(eq(buyerLedger.buyerId, t.buyerId), eq(buyerLedger.idempotencyKey, t.key)));
  return { entry: first!, created: false };
}

/** A page of the buyer's ledger, newest first. */
export async function listBuyerLedger(db: DbOrTx, buyerId: string, limit: number, offset: number) {
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(buyerLedger)
      .where(eq(buyerLedger.buyerId, buyerId))
      .orderBy(desc(buyerLedger.id))
      .limit(limit)
      .offset(offset),
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(buyerLedger)
      .where(eq(buyerLedger.buyerId, buyerId)),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** A month's statement: the balance before `start`, every entry in [start, end), the balance at end. */
export async function statementEntries(db: DbOrTx, buyerId: string, start: Date, end: Date) {
  const [[opening], entries] = await Promise.all([
    db
      .select({ sum: sql<number>`coalesce(sum(${buyerLedger.amountCents}), 0)`.mapWith(Number) })
      .from(buyerLedger)
      .where(and(eq(buyerLedger.buyerId, buyerId), lt(buyerLedger.createdAt, start))),
    db
      .select()
      .from(buyerLedger)
      .where(and(eq(buyerLedger.buyerId, buyerId), gte(buyerLedger.createdAt, start), lt(buyerLedger.createdAt, end)))
      .orderBy(asc(buyerLedger.createdAt), asc(buyerLedger.id)),
  ]);
  return { openingCents: opening?.sum ?? 0, entries };
}

/** Every buyer's balance and billing terms, with its org (or one org's): the accounts-receivable summary. */
export async function listReceivables(db: DbOrTx, orgId?: string) {
  return db
    .select({
      buyerId: buyers.id,
      name: buyers.name,
      orgId: buyers.orgId,
      orgName: orgs.name,
      billingMode: buyers.billingMode,
      creditLimitCents: buyers.creditLimitCents,
      lowBalanceThresholdCents: buyers.lowBalanceThresholdCents,
      balanceCents: sql<number>`coalesce(${buyerBalances.balanceCents}, 0)`.mapWith(Number),
      lastTopUpAt: sql<Date | null>`(select max(l.created_at) from buyer_ledger l where l.buyer_id = ${buyers.id} and l.kind = 'TOP_UP')`,
    })
    .from(buyers)
    .innerJoin(orgs, eq(orgs.id, buyers.orgId))
    .leftJoin(buyerBalances, eq(buyerBalances.buyerId, buyers.id))
    .where(orgId ? eq(buyers.orgId, orgId) : undefined)
    .orderBy(asc(buyers.name));
}

/** Each buyer's ledger sum next to its kept balance: the proof they never differ. */
export async function ledgerSumsAndBalances(db: DbOrTx) {
  const res = await db.execute(sql`
    select b.id as buyer_id, coalesce((select sum(l.amount_cents) from buyer_ledger l where l.buyer_id = b.id), 0)::bigint as ledger,
      coalesce((select x.balance_cents from buyer_balances x where x.buyer_id = b.id), 0)::bigint as balance
    from buyers b`);
  return rowsOf<{ buyer_id: string; ledger: string | number; balance: string | number }>(res).map((r) => ({
    buyerId: r.buyer_id,
    ledgerCents: Number(r.ledger),
    balanceCents: Number(r.balance),
  }));
}

/**
 * Claims the low-balance crossings not yet emailed (each buyer's low_notified catches up with its
 * low_crossings in one statement, so two callers never both send the same crossing).
 */
export async function claimLowBalanceCrossings(db: DbOrTx, buyerId?: string) {
  const res = await db.execute(sql`
    update buyer_balances x set low_notified = x.low_crossings
    from buyers b
    where b.id = x.buyer_id and x.low_crossings > x.low_notified${buyerId ? sql` and x.buyer_id = ${buyerId}::uuid` : sql``}
    returning x.buyer_id, x.low_crossings as crossing, x.balance_cents as balance, b.name, b.org_id,
      b.notification_email, b.low_balance_threshold_cents as threshold`);
  return rowsOf<{
    buyer_id: string;
    crossing: number;
    balance: string | number;
    name: string;
    org_id: string;
    notification_email: string | null;
    threshold: number | null;
  }>(res).map((r) => ({
    buyerId: r.buyer_id,
    crossing: Number(r.crossing),
    balanceCents: Number(r.balance),
    name: r.name,
    orgId: r.org_id,
    email: r.notification_email,
    thresholdCents: r.threshold,
  }));
}
