// Per buyer over the last days: pinged, bid, won, spent, and why it lost (auctionInsights.summary).
import { useQuery } from "@tanstack/react-query";
import { DataTable } from "../../components/DataTable";
import { messageOf, useTRPC } from "../../trpc";
import { labelOf, LOST_REASON_TEXT } from "../../labels";
import { money } from "./format";

export function SummaryTable({ days = 7 }: { days?: number }) {
  const trpc = useTRPC();
  const sum = useQuery({ ...trpc.auctionInsights.summary.queryOptions({ days }), refetchInterval: 30_000 });
  if (sum.isPending) return <p>Loading…</p>;
  if (sum.isError)
    return (
      <p className="error" role="alert">
        {messageOf(sum.error)}
      </p>
    );
  return (
    <DataTable
      caption={`Your buyers over the last ${days} days`}
      rows={sum.data}
      rowKey={(b) => b.buyerId}
      empty={`No activity in the last ${days} days.`}
      columns={[
        { key: "buyer", header: "Buyer", rowHeader: true, cell: (b) => b.buyer },
        { key: "pings", header: "Pings", numeric: true, cell: (b) => b.pings },
        { key: "bids", header: "Bids", numeric: true, cell: (b) => b.bids },
        { key: "wins", header: "Wins", numeric: true, cell: (b) => b.wins },
        { key: "spent", header: "Spent", numeric: true, cell: (b) => money(b.spentCents) },
        { key: "avg", header: "Avg bid", numeric: true, cell: (b) => money(b.avgBidCents) },
        {
          key: "lost",
          header: "Why you lost",
          cell: (b) =>
            Object.entries(b.lost).length === 0
              ? "—"
              : Object.entries(b.lost)
                  .sort((x, y) => (y[1] ?? 0) - (x[1] ?? 0))
                  .map(([r, n]) => (
                    <span key={r} className="tag" title={labelOf(LOST_REASON_TEXT, r)}>
                      {r.toLowerCase().replace(/_/g, " ")}: {n}
                    </span>
                  )),
        },
      ]}
    />
  );
}
