// Read models for the auction's dashboards: a buyer's own activity (pings, bids, wins, lost
// reasons) and the admin's lost-reason analytics. Every query takes the viewer's org scope:
// null is the admin (all buyers), otherwise only buyers of that organisation are counted.
import { buyers, leads, returnCredits, transactions, type DbOrTx } from "@leadflow/db";
import type { LostReason } from "@leadflow/engine";
import { and, desc, eq, gte, isNotNull, lt, ne, sql, type SQL } from "drizzle-orm";

export interface Range {
  from: Date;
  to: Date;
}

const inRange = (col: typeof transactions.createdAt | typeof leads.receivedAt, r: Range) => and(gte(col, r.from), lt(col, r.to));
const ofOrg = (orgId: string | null, buyerId?: string): SQL | undefined =>
  and(orgId ? eq(buyers.orgId, orgId) : undefined, buyerId ? eq(buyers.id, buyerId) : undefined);

/** The latest transactions of the viewer's buyers, newest first. */
export async function buyerActivity(db: DbOrTx, orgId: string | null, q: { limit: number; before?: Date | undefined; buyerId?: string | undefined }) {
  return db
    .select({
      id: transactions.id,
      leadId: transactions.leadId,
      buyerId: transactions.buyerId,
      buyer: buyers.name,
      buyerType: buyers.type,
      kind: transactions.kind,
      pingOutcome: transactions.pingOutcome,
      bidCents: transactions.bidCents,
      isWinner: transactions.isWinner,
      lostReason: transactions.lostReason,
      priceCents: transactions.priceCents,
      latencyMs: transactions.latencyMs,
      cascadePosition: transactions.cascadePosition,
      deliveryMethod: transactions.deliveryMethod,
      createdAt: transactions.createdAt,
      vertical: leads.vertical,
      zip: leads.zip,
    })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .innerJoin(leads, eq(leads.id, transactions.leadId))
    .where(and(ofOrg(orgId, q.buyerId), q.before ? lt(transactions.createdAt, q.before) : undefined))
    .orderBy(desc(transactions.createdAt), desc(transactions.id))
    .limit(q.limit);
}

/** Per buyer: how many times it was pinged or considered, bid, won, what it spent, and why it lost. */
export async function buyerSummary(db: DbOrTx, orgId: string | null, r: Range) {
  const totals = await db
    .select({
      buyerId: buyers.id,
      buyer: buyers.name,
      type: buyers.type,
      pings: sql<number>`count(*) filter (where ${transactions.kind} = 'PING')`.mapWith(Number),
      bids: sql<number>`count(*) filter (where ${transactions.bidCents} is not null)`.mapWith(Number),
      wins: sql<number>`count(*) filter (where ${transactions.isWinner})`.mapWith(Number),
      // Net of return credits (one per sale, so the join never doubles a row).
      spentCents: sql<number>`coalesce(sum(${transactions.priceCents}) filter (where ${transactions.isWinner}), 0) - coalesce(sum(${returnCredits.amountCents}), 0)`.mapWith(Number),
      creditedCents: sql<number>`coalesce(sum(${returnCredits.amountCents}), 0)`.mapWith(Number),
      avgBidCents: sql<number | null>`round(avg(${transactions.bidCents}))`.mapWith((v) => (v === null ? null : Number(v))),
      avgLatencyMs: sql<number | null>`round(avg(${transactions.latencyMs}))`.mapWith((v) => (v === null ? null : Number(v))),
    })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .leftJoin(returnCredits, eq(returnCredits.saleId, transactions.id))
    .where(and(ofOrg(orgId), inRange(transactions.createdAt, r)))
    .groupBy(buyers.id, buyers.name, buyers.type)
    .orderBy(buyers.name);
  const reasons = await db
    .select({ buyerId: transactions.buyerId, reason: transactions.lostReason, count: sql<number>`count(*)`.mapWith(Number) })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .where(and(ofOrg(orgId), inRange(transactions.createdAt, r), isNotNull(transactions.lostReason)))
    .groupBy(transactions.buyerId, transactions.lostReason);
  return totals.map((t) => ({
    ...t,
    lost: Object.fromEntries(reasons.filter((x) => x.buyerId === t.buyerId).map((x) => [x.reason!, x.count])) as Partial<Record<LostReason, number>>,
  }));
}

export type Bucket = "hour" | "day";

/**
 * Lost reasons by reason, by buyer and over time. Transactions carry every reason but
 * CASCADE_EXHAUSTED, which belongs to a lead (no single buyer caused it): it is counted once per
 * lead from leads.unsold_reason, never per buyer.
 */
export async function lostReasons(db: DbOrTx, r: Range, bucket: Bucket, timeZone = "UTC") {
  const txWhere = and(inRange(transactions.createdAt, r), isNotNull(transactions.lostReason), ne(transactions.lostReason, "CASCADE_EXHAUSTED"));
  const leadWhere = and(inRange(leads.receivedAt, r), eq(leads.unsoldReason, "CASCADE_EXHAUSTED"));
  const byReasonTx = await db
    .select({ reason: sql<LostReason>`${transactions.lostReason}`, count: sql<number>`count(*)`.mapWith(Number) })
    .from(transactions)
    .where(txWhere)
    .groupBy(transactions.lostReason);
  const [exhausted] = await db.select({ count: sql<number>`count(*)`.mapWith(Number) }).from(leads).where(leadWhere);
  const byReason = [...byReasonTx, ...(exhausted && exhausted.count > 0 ? [{ reason: "CASCADE_EXHAUSTED" as LostReason, count: exhausted.count }] : [])].sort(
    (a, b) => b.count - a.count || a.reason.localeCompare(b.reason),
  );
  const byBuyer = await db
    .select({ buyerId: buyers.id, buyer: buyers.name, type: buyers.type, reason: sql<LostReason>`${transactions.lostReason}`, count: sql<number>`count(*)`.mapWith(Number) })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .where(txWhere)
    .groupBy(buyers.id, buyers.name, buyers.type, transactions.lostReason);
  const unit = sql.raw(`'${bucket}'`);
  const txBucket = sql<string>`to_char(date_trunc(${unit}, ${transactions.createdAt} at time zone ${timeZone}), 'YYYY-MM-DD"T"HH24:MI')`;
  const leadBucket = sql<string>`to_char(date_trunc(${unit}, ${leads.receivedAt} at time zone ${timeZone}), 'YYYY-MM-DD"T"HH24:MI')`;
  const overTx = await db
    .select({ bucket: txBucket, reason: sql<LostReason>`${transactions.lostReason}`, count: sql<number>`count(*)`.mapWith(Number) })
    .from(transactions)
    .where(txWhere)
    .groupBy(sql`1`, transactions.lostReason);
  const overLeads = await db
    .select({ bucket: leadBucket, reason: sql<LostReason>`'CASCADE_EXHAUSTED'`, count: sql<number>`count(*)`.mapWith(Number) })
    .from(leads)
    .where(leadWhere)
    .groupBy(sql`1`);
  const overTime = [...overTx, ...overLeads].sort((a, b) => a.bucket.localeCompare(b.bucket) || a.reason.localeCompare(b.reason));
  return { byReason, byBuyer: byBuyer.sort((a, b) => a.buyer.localeCompare(b.buyer) || b.count - a.count), overTime, range: r, bucket };
}
