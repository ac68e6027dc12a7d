// Money and delivery: revenue and revenue per lead per day and by vertical, and how contractor
// deliveries went by method and by the sale's mode.
import { useQuery } from "@tanstack/react-query";
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { useTRPC } from "../../trpc";
import { ChartCard, type Column } from "./ChartCard";
import { useFilters } from "./filters";
import { ProfitCards } from "./ProfitCards";
import { AnalyticsPage, AXIS, dollars, PALETTE, usd } from "./shared";

const STATUSES = ["delivered", "pending", "failed", "dead"] as const;
const STATUS_COLORS: Record<string, string> = {
  delivered: "#027a48",
  pending: "#8a93a3",
  failed: "#b54708",
  dead: "#b42318",
};

export function RevenueAnalytics() {
  const trpc = useTRPC();
  const [input] = useFilters();
  const rev = useQuery({ ...trpc.analytics.revenue.queryOptions(input), refetchInterval: 60_000 });
  const del = useQuery({ ...trpc.analytics.deliveries.queryOptions(input), refetchInterval: 60_000 });
  return (
    <AnalyticsPage
      title="Revenue and deliveries"
      intro="Revenue is what winners paid for leads received in these UTC days. Picking a buyer shows that buyer's spend on the leads it was asked about."
      query={rev}
    >
      {() => {
        const d = rev.data!;
        type R = { leads: number; sold: number; revenueCents: number; perLeadCents: number | null };
        const byBuyer = d.basis === "buyer";
        const cols = <T extends R>(first: string, key: (r: T) => string): Column<T>[] => [
          { label: first, value: (r) => key(r) },
          { label: byBuyer ? "Leads asked" : "Leads", value: (r) => r.leads },
          { label: byBuyer ? "Won" : "Sold", value: (r) => r.sold },
          { label: "Revenue ($)", value: (r) => dollars(r.revenueCents), format: (r) => usd(r.revenueCents) },
          {
            label: "Revenue per lead ($)",
            value: (r) => (r.perLeadCents == null ? null : dollars(r.perLeadCents)),
            format: (r) => usd(r.perLeadCents),
          },
        ];
        const days = d.overTime.map((r) => ({
          ...r,
          revenue: dollars(r.revenueCents),
          perLead: r.perLeadCents == null ? null : dollars(r.perLeadCents),
        }));
        const noLeads =
          "No lead was received in these days with these filters: try a longer range, or another vertical or buyer.";
        const pivot = new Map<string, Record<string, number | string>>();
        for (const x of del.data?.rows ?? []) {
          const key = `${x.method} · ${x.mode}`;
          const row = pivot.get(key) ?? {
            key,
            method: x.method,
            mode: x.mode,
            delivered: 0,
            pending: 0,
            failed: 0,
            dead: 0,
            total: 0,
          };
          row[x.status] = (row[x.status] as number) + x.count;
          row.total = (row.total as number) + x.count;
          pivot.set(key, row);
        }
        const delRows = [...pivot.values()];
        return (
          <>
            <p className="summary">
              <strong>{usd(d.total.revenueCents)}</strong> from {d.total.leads.toLocaleString()}{" "}
              {byBuyer ? "leads asked" : "leads"} ({d.total.sold.toLocaleString()} {byBuyer ? "won" : "sold"}):{" "}
              {usd(d.total.perLeadCents)} per lead.
            </p>
            <ChartCard
              title="Revenue per day"
              caption="Bars: revenue per UTC day (left axis). Line: revenue per lead received that day, sold or not (right axis)."
              file="revenue-by-day"
              rows={d.overTime}
              columns={cols<(typeof d.overTime)[number]>("Day", (r) => r.day)}
              rowKey={(r) => r.day}
              empty={noLeads}
              chart={
                <ResponsiveContainer width="100%" height={320}>
                  <ComposedChart data={days} margin={{ left: 8, right: 8, bottom: 24 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="day" tick={AXIS} label={{ value: "Day", position: "insideBottom", offset: -16 }} />
                    <YAxis
                      yAxisId="rev"
                      tick={AXIS}
                      unit="$"
                      label={{ value: "Revenue", angle: -90, position: "insideLeft" }}
                    />
                    <YAxis
                      yAxisId="per"
                      orientation="right"
                      tick={AXIS}
                      unit="$"
                      label={{ value: "Per lead", angle: 90, position: "insideRight" }}
                    />
                    <Tooltip />
                    <Legend verticalAlign="top" />
                    <Bar yAxisId="rev" dataKey="revenue" name="Revenue ($)" fill="#0b5cad" isAnimationActive={false} />
                    <Line
                      yAxisId="per"
                      dataKey="perLead"
                      name="Revenue per lead ($)"
                      stroke="#c4320a"
                      dot={false}
                      isAnimationActive={false}
                    />
                  </ComposedChart>
                </ResponsiveContainer>
              }
            />
            <ChartCard
              title="Revenue by vertical"
              caption="Revenue and revenue per lead for each vertical over the whole range."
              file="revenue-by-vertical"
              rows={d.byVertical}
              columns={cols<(typeof d.byVertical)[number]>("Vertical", (r) => r.vertical)}
              rowKey={(r) => r.vertical}
              empty={noLeads}
              chart={
                <ResponsiveContainer width="100%" height={300}>
                  <BarChart
                    data={d.byVertical.map((r) => ({ ...r, revenue: dollars(r.revenueCents) }))}
                    margin={{ left: 8, right: 8, bottom: 24 }}
                  >
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis
                      dataKey="vertical"
                      tick={AXIS}
                      label={{ value: "Vertical", position: "insideBottom", offset: -16 }}
                    />
                    <YAxis tick={AXIS} unit="$" label={{ value: "Revenue", angle: -90, position: "insideLeft" }} />
                    <Tooltip />
                    <Bar dataKey="revenue" name="Revenue ($)" fill={PALETTE[0]} isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              }
            />
            {del.isError ? (
              <p className="error" role="alert">
                The deliveries could not be loaded. Reload the page; if it keeps failing, tell an admin.
              </p>
            ) : null}
            <ChartCard
              title="Contractor deliveries by method and mode"
              caption="Each delivery owed to a contractor who bought a lead, by channel and by whether the sale was exclusive or shared, stacked by how it ended. Failed ones are still being retried; dead ones gave up."
              file="deliveries-by-method-mode"
              rows={delRows}
              columns={[
                { label: "Method · mode", value: (r) => r.key as string },
                ...STATUSES.map((s) => ({
                  label: s[0]!.toUpperCase() + s.slice(1),
                  value: (r: Record<string, number | string>) => r[s] as number,
                })),
                { label: "Total", value: (r) => r.total as number },
              ]}
              rowKey={(r) => r.key as string}
              empty={
                del.isPending
                  ? "Loading…"
                  : "No contractor bought a lead in these days with these filters, so nothing was delivered."
              }
              chart={
                <ResponsiveContainer width="100%" height={300}>
                  <BarChart data={delRows} margin={{ left: 8, right: 8, bottom: 24 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis
                      dataKey="key"
                      tick={AXIS}
                      label={{ value: "Method · mode", position: "insideBottom", offset: -16 }}
                    />
                    <YAxis
                      allowDecimals={false}
                      tick={AXIS}
                      label={{ value: "Deliveries", angle: -90, position: "insideLeft" }}
                    />
                    <Tooltip />
                    <Legend verticalAlign="top" />
                    {STATUSES.map((s) => (
                      <Bar key={s} dataKey={s} name={s} stackId="d" fill={STATUS_COLORS[s]} isAnimationActive={false} />
                    ))}
                  </BarChart>
                </ResponsiveContainer>
              }
            />
            <ProfitCards input={input} />
          </>
        );
      }}
    </AnalyticsPage>
  );
}
