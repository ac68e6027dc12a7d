// Profit and margin by seller (source) and by vertical: revenue − payouts to sellers (net of
// reversals) − return credits, for leads received in the filtered UTC days. Exact cents from the
// server (analytics.profit); this only draws them.
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "../../trpc";
import { ChartCard, type Column } from "./ChartCard";
import type { FilterInput } from "./filters";
import { AXIS, dollars, usd } from "./shared";

interface ProfitTotals {
  sold: number;
  revenueCents: number;
  payoutCents: number;
  creditCents: number;
  profitCents: number;
  marginBp: number | null;
}

const margin = (bp: number | null) => (bp == null ? "–" : `${(bp / 100).toFixed(1)}%`);

function columns<T extends ProfitTotals>(first: string, key: (r: T) => string): Column<T>[] {
  return [
    { label: first, value: (r) => key(r) },
    { label: "Sold", value: (r) => r.sold },
    { label: "Revenue ($)", value: (r) => dollars(r.revenueCents), format: (r) => usd(r.revenueCents) },
    { label: "Payouts ($)", value: (r) => dollars(r.payoutCents), format: (r) => usd(r.payoutCents) },
    { label: "Return credits ($)", value: (r) => dollars(r.creditCents), format: (r) => usd(r.creditCents) },
    { label: "Profit ($)", value: (r) => dollars(r.profitCents), format: (r) => usd(r.profitCents) },
    {
      label: "Margin",
      value: (r) => (r.marginBp == null ? null : r.marginBp / 10_000),
      format: (r) => margin(r.marginBp),
    },
  ];
}

function chart(rows: (ProfitTotals & { label: string })[], axis: string) {
  const data = rows.map((r) => ({
    label: r.label,
    revenue: dollars(r.revenueCents),
    payout: dollars(r.payoutCents),
    profit: dollars(r.profitCents),
  }));
  return (
    <ResponsiveContainer width="100%" height={300}>
      <BarChart data={data} margin={{ left: 8, right: 8, bottom: 24 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" tick={AXIS} label={{ value: axis, position: "insideBottom", offset: -16 }} />
        <YAxis tick={AXIS} unit="$" />
        <Tooltip />
        <Legend verticalAlign="top" />
        <Bar dataKey="revenue" name="Revenue ($)" fill="#0b5cad" isAnimationActive={false} />
        <Bar dataKey="payout" name="Payouts ($)" fill="#b54708" isAnimationActive={false} />
        <Bar dataKey="profit" name="Profit ($)" fill="#027a48" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function ProfitCards({ input }: { input: FilterInput }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.analytics.profit.queryOptions(input), refetchInterval: 60_000 });
  if (q.isError)
    return (
      <p className="error" role="alert">
        Profit could not be loaded. Reload the page; if it keeps failing, tell an admin.
      </p>
    );
  const d = q.data;
  const empty = q.isPending ? "Loading…" : "No lead sold in these days with these filters.";
  return (
    <>
      {d ? (
        <p className="summary">
          Profit <strong>{usd(d.total.profitCents)}</strong> ({margin(d.total.marginBp)} margin):{" "}
          {usd(d.total.revenueCents)} revenue − {usd(d.total.payoutCents)} paid to sellers − {usd(d.total.creditCents)}{" "}
          return credits.
        </p>
      ) : null}
      <ChartCard
        title="Profit by seller"
        caption="For each source: what buyers paid, what the seller was paid (net of payouts reversed by returns), the return credits, and what LeadFlow kept."
        file="profit-by-seller"
        rows={d?.bySource ?? []}
        columns={columns<NonNullable<typeof d>["bySource"][number]>("Seller", (r) => r.seller)}
        rowKey={(r) => r.sellerOrgId}
        empty={empty}
        chart={chart(
          (d?.bySource ?? []).map((r) => ({ ...r, label: r.seller })),
          "Seller",
        )}
      />
      <ChartCard
        title="Profit by vertical"
        caption="The same, for each vertical over the whole range."
        file="profit-by-vertical"
        rows={d?.byVertical ?? []}
        columns={columns<NonNullable<typeof d>["byVertical"][number]>("Vertical", (r) => r.vertical)}
        rowKey={(r) => r.vertical}
        empty={empty}
        chart={chart(
          (d?.byVertical ?? []).map((r) => ({ ...r, label: r.vertical })),
          "Vertical",
        )}
      />
    </>
  );
}
