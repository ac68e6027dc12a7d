// The DJ marketplace's charts over a range of days: the funnel, the success metrics beside their
// targets (the same definitions as marketplace/admin.ts, over the chosen days instead of the last
// 30), supply and demand by city and event type, and the prices seen by city and event type.
// Marketplace volumes are small next to the auction's, so these read the raw tables (indexed by
// city and creation time). Verticals and buyers are auction filters and do not apply here.
import type { DbOrTx } from "@leadflow/db";
import type { EventType } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import { jsonRow } from "./auction";
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

export async function marketplaceChart(db: DbOrTx, f: Filters) {
  const lo = sql`${f.from}::date::timestamp at time zone 'UTC'`;
  const hi = sql`${f.toExclusive}::date::timestamp at time zone 'UTC'`;
  // One pass over the range's inquiries, grouped by city and event type (a few dozen groups);
  // the totals are the groups' sums.
  const r = await jsonRow<{
    groups: { city: string; eventType: EventType; leads: number; routed: number; accepted: number; converted: number; responded: number; responseMsSum: number | null }[] | null;
    funnel: { metric: string; n: number }[] | null;
    supply: { city: string; djs: number }[] | null;
    prices: { city: string; eventType: EventType; n: number; min: number; p25: number; median: number; p75: number; max: number }[] | null;
  }>(
    db,
    sql`with prices as (
        select m.city, m.event_type, m.booking_value_cents as cents from market_leads m
          where m.booking_value_cents is not null and m.converted_at >= ${lo} and m.converted_at < ${hi}
        union all
        select m.city, m.event_type, a.quote_cents from lead_assignments a join market_leads m on m.id = a.lead_id
          where a.status = 'accepted' and a.quote_cents is not null and a.responded_at >= ${lo} and a.responded_at < ${hi}
      )
    select json_build_object(
      'groups', (select json_agg(json_build_object('city', g.city, 'eventType', g.event_type, 'leads', g.leads, 'routed', g.routed, 'accepted', g.accepted,
          'converted', g.converted, 'responded', g.responded, 'responseMsSum', g.ms) order by g.city, g.event_type) from
        (select m.city, m.event_type, count(*)::int as leads, count(*) filter (where m.phase_seq > 0)::int as routed,
          count(*) filter (where m.accepted_at is not null)::int as accepted, count(*) filter (where m.state = 'converted')::int as converted,
          count(m.first_response_at)::int as responded, (sum(extract(epoch from (m.first_response_at - m.created_at))) * 1000)::float8 as ms
         from market_leads m where m.created_at >= ${lo} and m.created_at < ${hi} group by 1, 2) g),
      'funnel', (select json_agg(json_build_object('metric', c.metric, 'n', c.n)) from
        (select metric, sum(count)::int as n from market_funnel_counters where day >= ${f.from}::date and day < ${f.toExclusive}::date group by metric) c),
      'supply', (select json_agg(json_build_object('city', d.city, 'djs', d.n) order by d.city) from
        (select city, count(*)::int as n from djs where is_active and not is_suspended group by city) d),
      'prices', (select json_agg(json_build_object('city', p.city, 'eventType', p.event_type, 'n', p.n, 'min', p.mn, 'p25', p.p25, 'median', p.p50, 'p75', p.p75, 'max', p.mx) order by p.city, p.event_type) from
        (select city, event_type, count(*)::int as n, min(cents) as mn, max(cents) as mx,
          round(percentile_cont(0.25) within group (order by cents))::int as p25,
          round(percentile_cont(0.5) within group (order by cents))::int as p50,
          round(percentile_cont(0.75) within group (order by cents))::int as p75
         from prices group by 1, 2) p)
    ) as r`,
  );
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
  const metrics = (Object.keys(MARKET_TARGETS) as MarketMetric[]).map((key) => {
    const v = values[key];
    return { key, value: v, target: MARKET_TARGETS[key].label, ok: v == null ? null : MARKET_TARGETS[key].ok(v) };
  });
  const funnel = [
    { step: "Calculator views", count: views },
    { step: "Inquiries", count: c.inquiries },
    { step: "Inquiries from the calculator", count: fn("inquiry_from_calculator") },
    { step: "Offered to DJs", count: c.routed },
    { step: "Accepted by a DJ", count: c.accepted },
    { step: "Booked", count: c.converted },
  ];
  return { funnel, metrics, byCity, demand, prices: r.prices ?? [] };
}
