// Per buyer over the last days: pinged, bid, won, spent, and why it lost (auctionInsights.summary).
import { useQuery } from "@tanstack/react-query";
import { messageOf, useTRPC } from "../../trpc";
import { labelOf, LOST_REASON_TEXT } from "../../labels";
import { money } from "./format";

export function SummaryTable({ days = 7 }: { days?: number }) {
  const trpc = useTRPC();
  const sum = useQuery({ ...trpc.auctionInsights.summary.queryOptions({ days }), refetchInterval: 30_000 });
  if (sum.isPending) return <p>Loading…</p>;
  if (sum.isError) return <p className="error" role="alert">{messageOf(sum.error)}</p>;
  if (sum.data.length === 0) return <p>No activity in the last {days} days.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Your buyers over the last {days} days</caption>
        <thead>
          <tr>
            <th scope="col">Buyer</th>
            <th scope="col">Pings</th>
            <th scope="col">Bids</th>
            <th scope="col">Wins</th>
            <th scope="col">Spent</th>
            <th scope="col">Avg bid</th>
            <th scope="col">Why you lost</th>
          </tr>
        </thead>
        <tbody>
          {sum.data.map((b) => (
            <tr key={b.buyerId}>
              <td>{b.buyer}</td>
              <td>{b.pings}</td>
              <td>{b.bids}</td>
              <td>{b.wins}</td>
              <td>{money(b.spentCents)}</td>
              <td>{money(b.avgBidCents)}</td>
              <td>
                {Object.entries(b.lost).length === 0
                  ? "—"
                  : Object.entries(b.lost)
                      .sort((x, y) => (y[1] ?? 0) - (x[1] ?? 0))
                      .map(([r, n]) => (
                        <span key={r} className="tag" title={labelOf(LOST_REASON_TEXT, r)}>
                          {r.toLowerCase().replace(/_/g, " ")}: {n}
                        </span>
                      ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
