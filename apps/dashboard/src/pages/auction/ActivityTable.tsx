// The viewer's latest pings, bids, wins and losses (auctionInsights.activity), each linking to
// its lead page.
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { messageOf, useTRPC } from "../../trpc";
import { money, outcomeText, when } from "./format";

export function ActivityTable({ limit = 25, caption }: { limit?: number; caption: string }) {
  const trpc = useTRPC();
  const act = useQuery({ ...trpc.auctionInsights.activity.queryOptions({ limit }), refetchInterval: 15_000 });
  if (act.isPending) return <p>Loading…</p>;
  if (act.isError) return <p className="error" role="alert">{messageOf(act.error)}</p>;
  if (act.data.length === 0) return <p>Nothing yet: leads you are offered will show here.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Lead</th>
            <th scope="col">Buyer</th>
            <th scope="col">Step</th>
            <th scope="col">Bid / price</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {act.data.map((t) => (
            <tr key={t.id}>
              <td>{when(t.createdAt)}</td>
              <td>
                <Link to={`/leads/${t.leadId}`}>
                  {t.vertical} · {t.zip}
                </Link>
              </td>
              <td>{t.buyer}</td>
              <td>
                {t.kind === "DIRECT" ? "direct" : t.kind.toLowerCase()}
                {t.pingOutcome ? ` · ${t.pingOutcome.toLowerCase().replace("_", " ")}` : ""}
                {t.latencyMs != null ? ` · ${t.latencyMs} ms` : ""}
                {t.cascadePosition != null ? ` · cascade #${t.cascadePosition}` : ""}
              </td>
              <td>{t.isWinner ? money(t.priceCents) : money(t.bidCents)}</td>
              <td className={t.isWinner ? "ok" : t.lostReason ? "danger" : undefined}>
                {outcomeText(t)}
                {t.isWinner && t.deliveryMethod ? ` · by ${t.deliveryMethod.toLowerCase()}` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
