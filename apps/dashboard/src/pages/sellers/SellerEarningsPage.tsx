// A lead seller's earnings statement: one row per month of its own time zone (leads sold, payouts booked, payouts
// reversed by returns, net), each month's entries downloadable as CSV
// (GET /api/seller/statements/:month, apps/server/src/seller-exports.ts).
import type { AppRouter } from "@leadflow/api";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { Link } from "react-router";
import { DataTable, type Column } from "../../components/DataTable";
import { messageOf, useTRPC } from "../../trpc";
import { money, monthName } from "./portal-format";

type Month = inferRouterOutputs<AppRouter>["sellerPortal"]["statement"]["months"][number];

const COLUMNS: Column<Month>[] = [
  { key: "month", header: "Month", rowHeader: true, cell: (m) => monthName(m.month) },
  { key: "sold", header: "Leads sold", numeric: true, cell: (m) => m.sold.toLocaleString("en-US") },
  { key: "earned", header: "Earned", numeric: true, cell: (m) => money(m.earnedCents) },
  { key: "reversed", header: "Reversed", numeric: true, cell: (m) => money(m.reversedCents) },
  { key: "net", header: "Net", numeric: true, cell: (m) => <strong>{money(m.netCents)}</strong> },
  {
    key: "csv",
    header: "",
    label: "Download",
    actions: true,
    cell: (m) => (
      <a href={`/api/seller/statements/${m.month}`} download aria-label={`Download ${monthName(m.month)} as CSV`}>
        CSV
      </a>
    ),
  },
];

export function SellerEarningsPage() {
  const trpc = useTRPC();
  const q = useQuery(trpc.sellerPortal.statement.queryOptions());
  return (
    <section aria-labelledby="seller-earnings-title">
      <h1 id="seller-earnings-title">Earnings by month</h1>
      {q.data ? (
        <p data-testid="seller-time-zone">
          Times in <strong>{q.data.timeZone}</strong>: a month runs from midnight on its first day to midnight on the
          next month's, there. <Link to="/terms#time-zone">Change your time zone</Link>
        </p>
      ) : null}
      <p className="hint">
        A lead counts as sold in the month its auction finished; payouts and reversals in the month they were booked, so
        a return in April of a lead sold in March reverses its payout in April. Net = earned + reversed.
      </p>
      {q.isPending ? <p role="status">Loading…</p> : null}
      {q.isError ? (
        <p className="error" role="alert">
          {messageOf(q.error) ?? "Your statement could not be loaded."}
        </p>
      ) : null}
      {q.data ? (
        <DataTable
          caption="Your statement by month"
          columns={COLUMNS}
          rows={q.data.months}
          rowKey={(m) => m.month}
          rowProps={(m) => ({ "data-testid": `month-${m.month}` })}
          empty="Nothing sold or paid yet."
        />
      ) : null}
    </section>
  );
}
