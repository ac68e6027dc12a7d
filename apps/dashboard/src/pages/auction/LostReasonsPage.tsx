// Why buyers lose leads (admin): by reason, by buyer and over time, from transactions;
// CASCADE_EXHAUSTED counted once per lead. Each chart has a table view of the same numbers.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { messageOf, useTRPC } from "../../trpc";
import { LOST_REASON_TEXT, REASON_COLORS } from "./format";

type Row = Record<string, string | number>;

/** [{key, reason, count}] → one row per key with a column per reason, for stacked bars. */
function pivot(items: { key: string; reason: string; count: number }[]): { rows: Row[]; reasons: string[] } {
  const reasons = [...new Set(items.map((i) => i.reason))].sort();
  const byKey = new Map<string, Row>();
  for (const i of items) {
    const row = byKey.get(i.key) ?? { key: i.key };
    row[i.reason] = ((row[i.reason] as number | undefined) ?? 0) + i.count;
    byKey.set(i.key, row);
  }
  return { rows: [...byKey.values()], reasons };
}

function Stacked({ title, data, asTable }: { title: string; data: { rows: Row[]; reasons: string[] }; asTable: boolean }) {
  if (data.rows.length === 0) return <p>No lost leads in this range.</p>;
  if (asTable) {
    return (
      <div className="table-wrap">
        <table>
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr><th scope="col"> </th>{data.reasons.map((r) => <th key={r} scope="col">{r}</th>)}</tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={String(row.key)}><th scope="row">{row.key}</th>{data.reasons.map((r) => <td key={r}>{row[r] ?? 0}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <div className="chart" role="img" aria-label={`${title}: switch to the table view for the numbers`}>
      <ResponsiveContainer width="100%" height={320}>
        <BarChart data={data.rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="key" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          {data.reasons.map((r) => <Bar key={r} dataKey={r} stackId="a" fill={REASON_COLORS[r] ?? "#888"} />)}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function LostReasonsPage() {
  const trpc = useTRPC();
  const [days, setDays] = useState(7);
  const [asTable, setAsTable] = useState(false);
  const bucket = days <= 2 ? "hour" : "day";
  const q = useQuery({ ...trpc.auctionInsights.lostReasons.queryOptions({ days, bucket, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }), refetchInterval: 30_000 });
  return (
    <section>
      <h1>Lost reasons</h1>
      <div className="inline-form">
        <div className="field">
          <label htmlFor="lr-days">Period</label>
          <select id="lr-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={1}>Last 24 hours</option>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </div>
        <label className="choice">
          <input type="checkbox" checked={asTable} onChange={(e) => setAsTable(e.target.checked)} /> <span>Show tables instead of charts</span>
        </label>
      </div>
      {q.isPending ? <p>Loading…</p> : q.isError ? <p className="error" role="alert">{messageOf(q.error)}</p> : (
        <>
          <h2>By reason</h2>
          <Stacked title="Lost by reason" asTable={asTable} data={pivot(q.data.byReason.map((r) => ({ key: r.reason, reason: r.reason, count: r.count })))} />
          <ul className="hint">
            {q.data.byReason.map((r) => <li key={r.reason}><strong>{r.reason}</strong> ({r.count}): {LOST_REASON_TEXT[r.reason]}{r.reason === "CASCADE_EXHAUSTED" ? " — counted per lead" : ""}</li>)}
          </ul>
          <h2>By buyer</h2>
          <Stacked title="Lost by buyer" asTable={asTable} data={pivot(q.data.byBuyer.map((r) => ({ key: r.buyer, reason: r.reason, count: r.count })))} />
          <h2>Over time ({bucket === "hour" ? "per hour" : "per day"})</h2>
          <Stacked title="Lost over time" asTable={asTable} data={pivot(q.data.overTime.map((r) => ({ key: bucket === "hour" ? r.bucket.replace("T", " ") : r.bucket.slice(0, 10), reason: r.reason, count: r.count })))} />
        </>
      )}
    </section>
  );
}
