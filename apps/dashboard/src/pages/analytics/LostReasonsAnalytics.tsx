// Why leads were lost: over time, by buyer and by vertical. Every reason comes from the buyers'
// transactions except CASCADE_EXHAUSTED, which is counted once per lead (no buyer caused it).
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "../../trpc";
import { labelOf, LOST_REASON_COLORS, LOST_REASON_TEXT } from "../../labels";
import { ChartCard, type Column } from "./ChartCard";
import { useFilters } from "./filters";
import { AnalyticsPage, AXIS } from "./shared";

type Row = { key: string; total: number } & Record<string, number | string>;

function pivot(items: { key: string; reason: string; count: number }[]) {
  const reasons = [...new Set(items.map((i) => i.reason))].sort();
  const rows = new Map<string, Row>();
  for (const i of items) {
    const row = rows.get(i.key) ?? ({ key: i.key, total: 0 } as Row);
    row[i.reason] = ((row[i.reason] as number | undefined) ?? 0) + i.count;
    row.total += i.count;
    rows.set(i.key, row);
  }
  return { rows: [...rows.values()], reasons };
}

function Stacked({
  title,
  caption,
  file,
  first,
  data,
  empty,
}: {
  title: string;
  caption: string;
  file: string;
  first: string;
  data: ReturnType<typeof pivot>;
  empty: string;
}) {
  const columns: Column<Row>[] = [
    { label: first, value: (r) => r.key },
    ...data.reasons.map((reason) => ({ label: reason, value: (r: Row) => (r[reason] as number | undefined) ?? 0 })),
    { label: "Total", value: (r) => r.total },
  ];
  return (
    <ChartCard
      title={title}
      caption={caption}
      file={file}
      rows={data.rows}
      columns={columns}
      rowKey={(r) => r.key}
      empty={empty}
      chart={
        <ResponsiveContainer width="100%" height={320}>
          <BarChart data={data.rows} margin={{ left: 8, right: 8, bottom: 24 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="key" tick={AXIS} label={{ value: first, position: "insideBottom", offset: -16 }} />
            <YAxis allowDecimals={false} tick={AXIS} label={{ value: "Lost", angle: -90, position: "insideLeft" }} />
            <Tooltip />
            <Legend verticalAlign="top" />
            {data.reasons.map((r) => (
              <Bar
                key={r}
                dataKey={r}
                stackId="a"
                fill={labelOf(LOST_REASON_COLORS, r, "#888")}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      }
    />
  );
}

export function LostReasonsAnalytics() {
  const trpc = useTRPC();
  const [input] = useFilters();
  const q = useQuery({ ...trpc.analytics.lostReasons.queryOptions(input), refetchInterval: 60_000 });
  return (
    <AnalyticsPage
      title="Lost reasons"
      intro="Why buyers did not get leads, from every buyer's recorded transactions. Days are UTC days."
      query={q}
    >
      {() => {
        const d = q.data!;
        const none =
          "No buyer lost a lead in these days with these filters: try a longer range, or another vertical or buyer.";
        return (
          <>
            <Stacked
              title="Lost leads over time"
              caption="Per day, stacked by reason. Every bidder rejecting a lead (CASCADE_EXHAUSTED) is counted once per lead, not per buyer."
              file="lost-reasons-by-day"
              first="Day"
              data={pivot(d.overTime.map((x) => ({ key: x.day, reason: x.reason, count: x.count })))}
              empty={none}
            />
            <Stacked
              title="Lost leads by buyer"
              caption="Per buyer, stacked by reason."
              file="lost-reasons-by-buyer"
              first="Buyer"
              data={pivot(d.byBuyer.map((x) => ({ key: x.buyer, reason: x.reason, count: x.count })))}
              empty={none}
            />
            <Stacked
              title="Lost leads by vertical"
              caption="Per vertical, stacked by reason."
              file="lost-reasons-by-vertical"
              first="Vertical"
              data={pivot(d.byVertical.map((x) => ({ key: x.vertical, reason: x.reason, count: x.count })))}
              empty={none}
            />
            {d.byReason.length > 0 ? (
              <>
                <h2>What the reasons mean</h2>
                <ul className="hint">
                  {d.byReason.map((r) => (
                    <li key={r.reason}>
                      <strong>{r.reason}</strong> ({r.count}): {LOST_REASON_TEXT[r.reason]}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        );
      }}
    </AnalyticsPage>
  );
}
