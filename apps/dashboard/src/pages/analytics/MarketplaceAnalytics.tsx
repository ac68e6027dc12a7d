// The DJ marketplace over a range of days: the funnel, the success metrics beside their targets,
// supply and demand by city and event type, and the prices DJs quoted and customers booked at.
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { EVENT_TYPE_LABELS } from "../../labels";
import { useTRPC, type RouterOutputs } from "../../trpc";
import { ChartCard } from "./ChartCard";
import { useFilters } from "./filters";
import { AnalyticsPage, AXIS, dollars, PALETTE, pct, usd } from "./shared";

const METRIC_NAMES: Record<RouterOutputs["analytics"]["marketplace"]["metrics"][number]["key"], string> = {
  acceptanceRate: "Leads accepted by a DJ (of those offered)",
  firstResponseMs: "Time to first response (mean)",
  conversionRate: "Leads converted to bookings",
  leadsPerDj30d: "Leads per available DJ (per 30 days)",
  calculatorToInquiry: "Calculator views → inquiries",
};
const showMetric = (key: string, v: number | null) =>
  v == null
    ? "no data"
    : key === "firstResponseMs"
      ? `${(v / 3_600_000).toFixed(1)} h`
      : key === "leadsPerDj30d"
        ? v.toFixed(2)
        : pct(v);

export function MarketplaceAnalytics() {
  const trpc = useTRPC();
  const [input] = useFilters();
  // Verticals and buyers are the auction's; only the days apply here.
  const q = useQuery({
    ...trpc.analytics.marketplace.queryOptions({ from: input.from, to: input.to }),
    refetchInterval: 60_000,
  });
  return (
    <AnalyticsPage
      title="Marketplace analytics"
      auction={false}
      intro="The DJ marketplace: inquiries created, offers answered and bookings made in these UTC days."
      query={q}
    >
      {() => {
        const d = q.data!;
        const funnelEmpty = d.funnel.every((s) => s.count === 0);
        const eventTypes = [...new Set(d.demand.map((x) => x.eventType))].sort();
        const demandRows = [...new Set(d.demand.map((x) => x.city))].sort().map((city) => {
          const row: Record<string, string | number> = { city, total: 0 };
          for (const x of d.demand.filter((y) => y.city === city)) {
            row[x.eventType] = x.leads;
            row.total = (row.total as number) + x.leads;
          }
          return row;
        });
        const priceRows = d.prices.map((p) => ({
          ...p,
          key: `${p.city} · ${EVENT_TYPE_LABELS[p.eventType] ?? p.eventType}`,
          p25d: dollars(p.p25),
          mediand: dollars(p.median),
          p75d: dollars(p.p75),
        }));
        return (
          <>
            <ChartCard
              title="Marketplace funnel"
              caption="From calculator views to bookings. Calculator views and inquiries from the calculator are counted per day; the rest are the inquiries created in these days and what became of them."
              file="marketplace-funnel"
              rows={funnelEmpty ? [] : d.funnel}
              columns={[
                { label: "Step", value: (s) => s.step },
                { label: "Count", value: (s) => s.count },
              ]}
              rowKey={(s) => s.step}
              empty="Nobody used the price calculator or sent an inquiry in these days."
              chart={
                <ResponsiveContainer width="100%" height={300}>
                  <BarChart data={d.funnel} layout="vertical" margin={{ left: 8, right: 16 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis
                      type="number"
                      allowDecimals={false}
                      tick={AXIS}
                      label={{ value: "Count", position: "insideBottom", offset: -4 }}
                    />
                    <YAxis type="category" dataKey="step" width={150} tick={AXIS} />
                    <Tooltip />
                    <Bar dataKey="count" name="Count" fill="#0b5cad" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              }
            />
            <ChartCard
              title="Success metrics against their targets"
              caption="The marketplace's success metrics over these days, beside the targets it is run for."
              file="marketplace-metrics"
              rows={d.metrics}
              columns={[
                { label: "Metric", value: (m) => METRIC_NAMES[m.key] ?? m.key },
                {
                  label: "Now",
                  value: (m) => (m.value == null ? null : Math.round(m.value * 10_000) / 10_000),
                  format: (m) => showMetric(m.key, m.value),
                },
                { label: "Target", value: (m) => m.target },
                { label: "Met", value: (m) => (m.ok == null ? "no data" : m.ok ? "yes" : "no") },
              ]}
              rowKey={(m) => m.key}
              empty="No metric could be computed for these days."
            />
            <ChartCard
              title="Supply and demand by city"
              caption="Demand: inquiries created in these days. Supply: DJs active now. Leads per DJ is scaled to 30 days; the target is 1.0 to 2.0."
              file="supply-demand-by-city"
              rows={d.byCity}
              columns={[
                { label: "City", value: (c) => c.city },
                { label: "Inquiries", value: (c) => c.leads },
                { label: "Active DJs", value: (c) => c.djs },
                {
                  label: "Leads per DJ (30 days)",
                  value: (c) => (c.leadsPerDj30d == null ? null : Math.round(c.leadsPerDj30d * 100) / 100),
                },
              ]}
              rowKey={(c) => c.city}
              empty="No city has DJs or inquiries yet."
              chart={
                <ResponsiveContainer width="100%" height={300}>
                  <BarChart data={d.byCity} margin={{ left: 8, right: 8, bottom: 24 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis
                      dataKey="city"
                      tick={AXIS}
                      label={{ value: "City", position: "insideBottom", offset: -16 }}
                    />
                    <YAxis
                      allowDecimals={false}
                      tick={AXIS}
                      label={{ value: "Count", angle: -90, position: "insideLeft" }}
                    />
                    <Tooltip />
                    <Legend verticalAlign="top" />
                    <Bar dataKey="leads" name="Inquiries" fill="#0b5cad" isAnimationActive={false} />
                    <Bar dataKey="djs" name="Active DJs" fill="#027a48" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              }
            />
            <ChartCard
              title="Demand by city and event type"
              caption="Inquiries created in these days, per city, stacked by event type."
              file="demand-by-city-event"
              rows={demandRows}
              columns={[
                { label: "City", value: (r) => r.city as string },
                ...eventTypes.map((e) => ({
                  label: EVENT_TYPE_LABELS[e] ?? e,
                  value: (r: Record<string, string | number>) => (r[e] as number | undefined) ?? 0,
                })),
                { label: "Total", value: (r) => r.total as number },
              ]}
              rowKey={(r) => r.city as string}
              empty="No inquiry was created in these days."
              chart={
                <ResponsiveContainer width="100%" height={300}>
                  <BarChart data={demandRows} margin={{ left: 8, right: 8, bottom: 24 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis
                      dataKey="city"
                      tick={AXIS}
                      label={{ value: "City", position: "insideBottom", offset: -16 }}
                    />
                    <YAxis
                      allowDecimals={false}
                      tick={AXIS}
                      label={{ value: "Inquiries", angle: -90, position: "insideLeft" }}
                    />
                    <Tooltip />
                    <Legend verticalAlign="top" />
                    {eventTypes.map((e, i) => (
                      <Bar
                        key={e}
                        dataKey={e}
                        name={EVENT_TYPE_LABELS[e] ?? e}
                        stackId="e"
                        fill={PALETTE[i % PALETTE.length]}
                        isAnimationActive={false}
                      />
                    ))}
                  </BarChart>
                </ResponsiveContainer>
              }
            />
            <ChartCard
              title="Prices by city and event type"
              caption="Prices seen in these days: quotes DJs accepted with and bookings customers made. The middle half lies between the 25th and 75th percentile."
              file="prices-by-city-event"
              rows={priceRows}
              columns={[
                { label: "City · event type", value: (p) => p.key },
                { label: "Prices", value: (p) => p.n },
                { label: "Lowest ($)", value: (p) => dollars(p.min), format: (p) => usd(p.min) },
                { label: "25th percentile ($)", value: (p) => p.p25d, format: (p) => usd(p.p25) },
                { label: "Median ($)", value: (p) => p.mediand, format: (p) => usd(p.median) },
                { label: "75th percentile ($)", value: (p) => p.p75d, format: (p) => usd(p.p75) },
                { label: "Highest ($)", value: (p) => dollars(p.max), format: (p) => usd(p.max) },
              ]}
              rowKey={(p) => p.key}
              empty="No DJ quoted and no customer booked in these days, so there are no prices to show."
              chart={
                <ResponsiveContainer width="100%" height={340}>
                  <BarChart data={priceRows} margin={{ left: 8, right: 8, bottom: 64 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="key" tick={AXIS} angle={-30} textAnchor="end" interval={0} height={80} />
                    <YAxis tick={AXIS} unit="$" label={{ value: "Price", angle: -90, position: "insideLeft" }} />
                    <Tooltip />
                    <Legend verticalAlign="top" />
                    <Bar dataKey="p25d" name="25th percentile" fill="#8a93a3" isAnimationActive={false} />
                    <Bar dataKey="mediand" name="Median" fill="#0b5cad" isAnimationActive={false} />
                    <Bar dataKey="p75d" name="75th percentile" fill="#155b75" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              }
            />
          </>
        );
      }}
    </AnalyticsPage>
  );
}
