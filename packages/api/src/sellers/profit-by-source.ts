// Profit and margin by source and vertical for the admin's revenue analytics: revenue (what buyers
// paid) − payouts (net of reversals) − return credits, summed exactly in integer cents by SQL
// (payouts.ts profitBySource), then rolled up per source and per vertical here.
import { profitBySource, type DbOrTx, type ProfitRow } from "@leadflow/db";

interface Totals {
  sold: number;
  revenueCents: number;
  payoutCents: number;
  creditCents: number;
  profitCents: number;
  /** profit ÷ revenue in basis points (null without revenue): integers, so it adds up exactly. */
  marginBp: number | null;
}

const marginBp = (profit: number, revenue: number) => (revenue > 0 ? Math.round((profit * 10_000) / revenue) : null);

function total(rows: readonly ProfitRow[]): Totals {
  const t = rows.reduce(
    (a, r) => ({
      sold: a.sold + r.sold,
      revenueCents: a.revenueCents + r.revenueCents,
      payoutCents: a.payoutCents + r.payoutCents,
      creditCents: a.creditCents + r.creditCents,
      profitCents: a.profitCents + r.profitCents,
    }),
    { sold: 0, revenueCents: 0, payoutCents: 0, creditCents: 0, profitCents: 0 },
  );
  return { ...t, marginBp: marginBp(t.profitCents, t.revenueCents) };
}

function groupBy<K extends string>(rows: readonly ProfitRow[], key: (r: ProfitRow) => K) {
  const m = new Map<K, ProfitRow[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

/** The analytics filters' UTC days [from, toExclusive), as the other charts read them; leads by the day received. */
export async function profitChart(db: DbOrTx, f: { from: string; toExclusive: string; vertical?: string | null }) {
  const day = (d: string) => new Date(`${d}T00:00:00Z`);
  const rows = await profitBySource(db, {
    from: day(f.from),
    toExclusive: day(f.toExclusive),
    vertical: f.vertical ?? null,
  });
  return {
    rows: rows.map((r) => ({ ...r, marginBp: marginBp(r.profitCents, r.revenueCents) })),
    bySource: [...groupBy(rows, (r) => r.sellerOrgId)].map(([sellerOrgId, rs]) => ({
      sellerOrgId,
      seller: rs[0]!.seller,
      ...total(rs),
    })),
    byVertical: [...groupBy(rows, (r) => r.vertical)].map(([vertical, rs]) => ({ vertical, ...total(rs) })),
    total: total(rows),
  };
}
