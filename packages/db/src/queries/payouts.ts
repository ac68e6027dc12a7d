// The payout ledger's SQL: the payout written when a lead sells, its reversal by a return, and
// the profit rollup (revenue − payouts − return credits) by source and vertical.
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { rowsOf } from "../client";
import { sellerPayouts } from "../schema/sellers";
import type { PayoutRuleRow } from "./sellers";

/** The sold lead's source and the rules that could apply to it (its vertical's and the general one). */
export async function payoutRulesForLead(db: DbOrTx, leadId: string) {
  const [r] = rowsOf<{ seller_org_id: string; vertical: string; rules: PayoutRuleRow[] | null }>(
    await db.execute(sql`
      select l.seller_org_id, l.vertical,
        (select json_agg(json_build_object('vertical', p.vertical, 'kind', p.kind, 'fixedCents', p.fixed_cents, 'shareBp', p.share_bp,
            'marginCents', p.margin_cents, 'minMarginCents', p.min_margin_cents))
          from payout_rules p where p.seller_org_id = l.seller_org_id and (p.vertical is null or p.vertical = l.vertical)) as rules
      from leads l where l.id = ${leadId}::uuid`),
  );
  return r ? { sellerOrgId: r.seller_org_id, vertical: r.vertical, rules: r.rules ?? [] } : null;
}

/**
 * The payout entry, the lead's payout and its timeline event, in one statement; a second call for
 * the same lead writes nothing (the ledger's unique index), and answers false.
 */
export async function writePayout(
  db: DbOrTx,
  p: { leadId: string; amountCents: number; at: Date; data: Record<string, unknown> },
): Promise<boolean> {
  const at = p.at.toISOString();
  const [r] = rowsOf<{ n: number | string }>(
    await db.execute(sql`
      with e as (
        insert into seller_payouts (lead_id, seller_org_id, vertical, kind, amount_cents, created_at)
        select l.id, l.seller_org_id, l.vertical, 'PAYOUT', ${p.amountCents}::int, ${at}::timestamptz from leads l where l.id = ${p.leadId}::uuid
        on conflict do nothing
        returning lead_id
      ), u as (
        update leads set payout_cents = ${p.amountCents}::int where id in (select lead_id from e)
      ), ev as (
        insert into lead_events (lead_id, at, kind, data)
        select lead_id, ${at}::timestamptz, 'payout', ${JSON.stringify({ ...p.data, payoutCents: p.amountCents })}::jsonb from e
      )
      select count(*) as n from e`),
  );
  return Number(r?.n ?? 0) > 0;
}

/** The lead's payout entry and the source's return window, read inside the return's transaction. */
export async function payoutOfLead(tx: DbOrTx, leadId: string) {
  const [r] = rowsOf<{ amount_cents: number; created_at: string | Date; window_days: number | null }>(
    await tx.execute(sql`
      select p.amount_cents, p.created_at, s.return_window_days as window_days
      from seller_payouts p left join seller_sources s on s.seller_org_id = p.seller_org_id
      where p.lead_id = ${leadId}::uuid and p.kind = 'PAYOUT'`),
  );
  return r ? { amountCents: Number(r.amount_cents), soldAt: new Date(r.created_at), windowDays: r.window_days } : null;
}

/** The reversal entry (negative) and its event, in one statement; once per lead, a second writes nothing. */
export async function writePayoutReversal(
  tx: DbOrTx,
  r: { leadId: string; returnId: string; amountCents: number; at: Date },
): Promise<boolean> {
  const at = r.at.toISOString();
  const [row] = rowsOf<{ n: number | string }>(
    await tx.execute(sql`
      with e as (
        insert into seller_payouts (lead_id, seller_org_id, vertical, kind, amount_cents, return_id, created_at)
        select l.id, l.seller_org_id, l.vertical, 'PAYOUT_REVERSAL', ${-r.amountCents}::int, ${r.returnId}::uuid, ${at}::timestamptz
        from leads l where l.id = ${r.leadId}::uuid
        on conflict do nothing
        returning lead_id
      ), ev as (
        insert into lead_events (lead_id, at, kind, data)
        select lead_id, ${at}::timestamptz, 'payout_reversed', ${JSON.stringify({ returnId: r.returnId, amountCents: -r.amountCents })}::jsonb from e
      )
      select count(*) as n from e`),
  );
  return Number(row?.n ?? 0) > 0;
}

export interface ProfitRow {
  sellerOrgId: string;
  seller: string;
  vertical: string;
  sold: number;
  revenueCents: number;
  payoutCents: number;
  creditCents: number;
  profitCents: number;
}

// What buyers paid, what the sources earned (net of reversals) and the credits, over the SOLD leads
// `l` of a group: one formula for the profit by source and the overview's profit by day.
const profitSums = sql`coalesce(sum((select sum(t.price_cents) from transactions t where t.lead_id = l.id and t.is_winner)), 0) as revenue,
        coalesce(sum((select sum(p.amount_cents) from seller_payouts p where p.lead_id = l.id)), 0) as payout,
        coalesce(sum((select sum(c.amount_cents) from return_credits c where c.lead_id = l.id)), 0) as credit`;

/**
 * Profit by source and vertical for leads received in [from, to): what buyers paid (sale prices,
 * before credits), minus payouts net of reversals, minus return credits. Exact: every cent comes
 * from the rows that record it, summed in integers.
 */
export async function profitBySource(
  db: DbOrTx,
  f: { from: Date; toExclusive: Date; vertical?: string | null; sellerOrgId?: string | null },
): Promise<ProfitRow[]> {
  const rows = rowsOf<{
    seller_org_id: string;
    seller: string;
    vertical: string;
    sold: string | number;
    revenue: string | number;
    payout: string | number;
    credit: string | number;
  }>(
    await db.execute(sql`
      select l.seller_org_id, o.name as seller, l.vertical,
        count(*) filter (where l.status = 'SOLD') as sold,
        ${profitSums}
      from leads l join orgs o on o.id = l.seller_org_id
      where l.received_at >= ${f.from.toISOString()}::timestamptz and l.received_at < ${f.toExclusive.toISOString()}::timestamptz
        and l.status = 'SOLD'
        ${f.vertical ? sql`and l.vertical = ${f.vertical}` : sql``}
        ${f.sellerOrgId ? sql`and l.seller_org_id = ${f.sellerOrgId}::uuid` : sql``}
      group by l.seller_org_id, o.name, l.vertical
      order by o.name, l.vertical`),
  );
  return rows.map((r) => {
    const revenueCents = Number(r.revenue);
    const payoutCents = Number(r.payout);
    const creditCents = Number(r.credit);
    return {
      sellerOrgId: r.seller_org_id,
      seller: r.seller,
      vertical: r.vertical,
      sold: Number(r.sold),
      revenueCents,
      payoutCents,
      creditCents,
      profitCents: revenueCents - payoutCents - creditCents,
    };
  });
}

/** Profit (revenue − payouts − return credits) of the SOLD leads received on each UTC day of [from, toExclusive). */
export async function profitByDay(db: DbOrTx, f: { from: string; toExclusive: string }) {
  const rows = rowsOf<{ day: string; revenue: string | number; payout: string | number; credit: string | number }>(
    await db.execute(sql`
      select to_char((l.received_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, ${profitSums}
      from leads l
      where l.received_at >= ${f.from}::date::timestamp at time zone 'UTC'
        and l.received_at < ${f.toExclusive}::date::timestamp at time zone 'UTC'
        and l.status = 'SOLD'
      group by 1 order by 1`),
  );
  return rows.map((r) => ({
    day: r.day,
    profitCents: Number(r.revenue) - Number(r.payout) - Number(r.credit),
  }));
}

export async function payoutEntries(db: DbOrTx, leadId: string) {
  return db.select().from(sellerPayouts).where(eq(sellerPayouts.leadId, leadId)).orderBy(sellerPayouts.id);
}
