// What a what-if replay reads, inside the caller's READ ONLY transaction: the buyer, its zips,
// the recorded leads with their transactions and verdicts aggregated to JSON by PostgreSQL,
// the floors, the buyer's earlier sales and its competitors' rows. The buyers' and auction's
// tables are read here because only the replay reads them this way.
import { REJECTION_REASONS } from "@leadflow/engine";
import { and, asc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../client";
import { buyerLedger, buyers, buyerZips, leads, transactions, verticals } from "../schema";

export type ReplayBuyerRow = typeof buyers.$inferSelect;
export type ReplayBuyerZipRow = typeof buyerZips.$inferSelect;

/** One recorded lead, its transactions and verdicts as JSON text (parsing 10,000 strings beats 150,000 rows). */
export interface ReplayHistoryRow {
  id: string;
  vertical: string;
  zip: string;
  state: string | null;
  received_at: string | Date;
  processing_at: string | Date | null;
  consent: unknown;
  /** The phone/email checks (jsonb) and the consent claims by provider: { TRUSTED_FORM: { status, matched } }. */
  validation: unknown;
  claims: unknown;
  phone: string | null;
  email: string | null;
  /** The keyed hashes, kept after retention purged phone and email (the duplicate check compares both). */
  phone_hash: string | null;
  email_hash: string | null;
  /** JSON text: [buyerId, kind, pingOutcome, bidCents, isWinner, lostReason, cascadePosition, latencyMs, priceCents, postedOverHttp, detail][] */
  txs: string | null;
  /** JSON text: [buyerId, eligible, reason, detail, priority][] */
  verdicts: string | null;
}

export async function getReplayBuyer(tx: DbOrTx, buyerId: string): Promise<ReplayBuyerRow | undefined> {
  const [row] = await tx.select().from(buyers).where(eq(buyers.id, buyerId));
  return row;
}

export async function listReplayBuyerZips(tx: DbOrTx, buyerId: string): Promise<ReplayBuyerZipRow[]> {
  return tx.select().from(buyerZips).where(eq(buyerZips.buyerId, buyerId));
}

export async function listReplayCompetitors(tx: DbOrTx, buyerIds: string[]): Promise<ReplayBuyerRow[]> {
  return tx.select().from(buyers).where(inArray(buyers.id, buyerIds));
}

/**
 * The SOLD and UNSOLD leads of these verticals received in [from, to], in the order the auctions
 * ran in; the transactions of everyone (details only the buyer's own and recorded refusals), the
 * buyer's own verdict and the contractors'.
 */
export async function selectReplayHistory(
  tx: DbOrTx,
  p: { buyerId: string; verticals: string[]; from: Date; to: Date },
): Promise<ReplayHistoryRow[]> {
  const rejections = sql.join(
    REJECTION_REASONS.map((r) => sql`${r}`),
    sql`, `,
  );
  const res = await tx.execute(sql`
      select l.id, l.vertical, l.zip, l.state, l.received_at, l.processing_at, l.consent, l.validation,
        (select json_object_agg(c.provider, json_build_object('status', c.status, 'matched', c.matched))
          from lead_consent_claims c where c.lead_id = l.id) as claims,
        l.phone_normalized as phone, l.email_normalized as email, l.phone_hash, l.email_hash,
        (select json_agg(json_build_array(t.buyer_id, t.kind, t.ping_outcome, t.bid_cents, t.is_winner, t.lost_reason,
            t.cascade_position, t.latency_ms, t.price_cents, (t.post_response is not null or t.post_latency_ms is not null),
            -- only the buyer's own details and recorded refusals are ever shown or replayed
            case when t.buyer_id = ${p.buyerId}::uuid or t.lost_reason::text in (${rejections}) then t.detail end))::text
          from transactions t where t.lead_id = l.id) as txs,
        -- the buyer's own verdict (its "before" when it never competed) and the contractors' (their zip priority then)
        (select json_agg(json_build_array(e.buyer_id, coalesce((e.data->>'eligible')::boolean, false), e.data->>'reason', e.data->>'detail', (e.data->>'priority')::int))::text
          from lead_events e
          where e.lead_id = l.id and e.kind = 'eligibility'
            and (e.buyer_id = ${p.buyerId}::uuid or e.buyer_id in (select b.id from buyers b where b.type = 'CONTRACTOR'))) as verdicts
      from leads l
      where l.vertical in (${sql.join(
        p.verticals.map((v) => sql`${v}`),
        sql`, `,
      )}) and l.status in ('SOLD', 'UNSOLD')
        and l.received_at >= ${p.from.toISOString()}::timestamptz and l.received_at <= ${p.to.toISOString()}::timestamptz
      order by coalesce(l.processing_at, l.received_at), l.id -- the order the auctions ran in
    `);
  return rowsOf<ReplayHistoryRow>(res);
}

export async function listVerticalFloors(tx: DbOrTx) {
  return tx.select({ key: verticals.key, floor: verticals.floorCents }).from(verticals);
}

/** The buyer's winning sales since `since` of leads received before `receivedBefore`, oldest first. */
export async function listEarlierBuyerSales(tx: DbOrTx, p: { buyerId: string; since: Date; receivedBefore: Date }) {
  return tx
    .select({
      at: transactions.createdAt,
      phone: leads.phoneNormalized,
      email: leads.emailNormalized,
      phoneHash: leads.phoneHash,
      emailHash: leads.emailHash,
    })
    .from(transactions)
    .innerJoin(leads, eq(leads.id, transactions.leadId))
    .where(
      and(
        eq(transactions.buyerId, p.buyerId),
        eq(transactions.isWinner, true),
        gte(transactions.createdAt, p.since),
        lt(leads.receivedAt, p.receivedBefore),
      ),
    )
    .orderBy(asc(transactions.createdAt));
}

/** One ledger entry as the replay's money needs it. */
export interface ReplayLedgerEntry {
  kind: "TOP_UP" | "CHARGE" | "RELEASE" | "RETURN_CREDIT";
  amountCents: number;
  at: Date;
  leadId: string | null;
}

/**
 * The buyer's money as recorded, for the replay to rebuild its balance and spend at each lead
 * (docs/insight.md): the ledger's sum before `from` (the opening balance), every entry in
 * [from, to] in the order written, and its winning sales made in [since, to] (when, for which lead,
 * at what price), oldest first.
 */
export async function listReplayMoney(tx: DbOrTx, p: { buyerId: string; since: Date; from: Date; to: Date }) {
  const [[opening], entries, sales] = await Promise.all([
    tx
      .select({ sum: sql<number>`coalesce(sum(${buyerLedger.amountCents}), 0)`.mapWith(Number) })
      .from(buyerLedger)
      .where(and(eq(buyerLedger.buyerId, p.buyerId), lt(buyerLedger.createdAt, p.from))),
    tx
      .select({
        kind: buyerLedger.kind,
        amountCents: buyerLedger.amountCents,
        at: buyerLedger.createdAt,
        leadId: buyerLedger.leadId,
      })
      .from(buyerLedger)
      .where(
        and(eq(buyerLedger.buyerId, p.buyerId), gte(buyerLedger.createdAt, p.from), lte(buyerLedger.createdAt, p.to)),
      )
      .orderBy(asc(buyerLedger.createdAt), asc(buyerLedger.id)),
    tx
      .select({ leadId: transactions.leadId, at: transactions.createdAt, priceCents: transactions.priceCents })
      .from(transactions)
      .where(
        and(
          eq(transactions.buyerId, p.buyerId),
          eq(transactions.isWinner, true),
          gte(transactions.createdAt, p.since),
          lte(transactions.createdAt, p.to),
        ),
      )
      .orderBy(asc(transactions.createdAt)),
  ]);
  return {
    openingCents: opening?.sum ?? 0,
    entries: entries.map((e): ReplayLedgerEntry => ({ ...e, amountCents: Number(e.amountCents) })),
    sales: sales.map((s) => ({ leadId: s.leadId, at: s.at, priceCents: s.priceCents ?? 0 })),
  };
}
