// The DJ marketplace's charts over a range of days: the funnel, the success metrics beside their
// targets (the same definitions as marketplace/admin.ts, over the chosen days instead of the last
// 30), supply and demand by city and event type, and the prices seen by city and event type.
// Marketplace volumes are small next to the auction's, so these read the raw tables (indexed by
// city and creation time). Verticals and buyers are auction filters and do not apply here.
import { selectMarketplaceChart, type DbOrTx } from "@leadflow/db";
import type { Filters } from "./filters";

/** The seed's targets; `ok` says whether a value meets its target. */
export const MARKET_TARGETS = {
  acceptanceRate: { label: "> 60%", ok: (v: number) => v > 0.6 },
  firstResponseMs: { label: "< 4 h", ok: (v: number) => v < 4 * 3_600_000 },
  conversionRate: { label: "> 25%", ok: (v: number) => v > 0.25 },
  leadsPerDj30d: { label: "1.0–2.0", ok: (v: number) => v >= 1 && v <= 2 },
  calculatorToInquiry: { label: "> 15%", ok: (v: number) => v > 0.15 },
} as const;
export type MarketMetric = keyof typeof MARKET_TARGETS;

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * The marketplace's figures over a range of UTC days, from live rows: the one computation behind
 * both the analytics page (marketplaceChart) and the admin's success metrics (marketplaceMetrics),
 * so the two agree for the same period (issue 17, item 5).
 */
export async function marketplaceFigures(db: DbOrTx, f: Pick<Filters, "from" | "toExclusive" | "days">) {
  // One pass over the range's inquiries, grouped by city and event type (a few dozen groups);
  // the totals are the groups' sums.
  const r = await selectMarketplaceChart(db, f);
  const groups = r.groups ?? [];
  const sum = (k: "leads" | "routed" | "accepted" | "converted" | "responded") => groups.reduce((a, g) => a + g[k], 0);
  const responseMs = groups.reduce((a, g) => a + (g.responseMsSum ?? 0), 0);
  const c = {
    inquiries: sum("leads"),
    routed: sum("routed"),
    accepted: sum("accepted"),
    converted: sum("converted"),
    avgFirstResponseMs: sum("responded") > 0 ? responseMs / sum("responded") : null,
  };
  const demand = groups.map((g) => ({ city: g.city, eventType: g.eventType, leads: g.leads }));
  const fn = (m: string) => r.funnel?.find((x) => x.metric === m)?.n ?? 0;
  const views = fn("calculator_view");
  const supply = r.supply ?? [];
  const cities = [...new Set([...demand.map((d) => d.city), ...supply.map((s) => s.city)])].sort();
  const per30 = 30 / f.days;
  const byCity = cities.map((city) => {
    const leads = demand.filter((d) => d.city === city).reduce((a, d) => a + d.leads, 0);
    const djs = supply.find((s) => s.city === city)?.djs ?? 0;
    return { city, leads, djs, leadsPerDj30d: djs > 0 ? (leads * per30) / djs : null };
  });
  const totalDjs = supply.reduce((a, s) => a + s.djs, 0);
  const values: Record<MarketMetric, number | null> = {
    acceptanceRate: ratio(c.accepted, c.routed),
    firstResponseMs: c.avgFirstResponseMs,
    conversionRate: ratio(c.converted, c.inquiries),
    leadsPerDj30d: totalDjs > 0 ? (c.inquiries * per30) / totalDjs : null,
    calculatorToInquiry: ratio(fn("inquiry_from_calculator"), views),
  };
  const funnelCounts = {
    calculatorViews: views,
    inquiries: c.inquiries,
    inquiriesFromCalculator: fn("inquiry_from_calculator"),
  };
  return { counts: c, values, funnelCounts, byCity, demand, totalDjs, prices: r.prices ?? [] };
}

export async function marketplaceChart(db: DbOrTx, f: Filters) {
  const { counts: c, values, funnelCounts, byCity, demand, prices } = await marketplaceFigures(db, f);
  const metrics = (Object.keys(MARKET_TARGETS) as MarketMetric[]).map((key) => {
    const v = values[key];
    return { key, value: v, target: MARKET_TARGETS[key].label, ok: v == null ? null : MARKET_TARGETS[key].ok(v) };
  });
  const funnel = [
    { step: "Calculator views", count: funnelCounts.calculatorViews },
    { step: "Inquiries", count: c.inquiries },
    { step: "Inquiries from the calculator", count: funnelCounts.inquiriesFromCalculator },
    { step: "Offered to DJs", count: c.routed },
    { step: "Accepted by a DJ", count: c.accepted },
    { step: "Booked", count: c.converted },
  ];
  return { funnel, metrics, byCity, demand, prices };
}
