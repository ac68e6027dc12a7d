// The viewer's latest pings, bids, wins and losses (auctionInsights.activity), each linking to
// its lead page.
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { DataTable } from "../../components/DataTable";
import { messageOf, useTRPC } from "../../trpc";
import { money, outcomeText, when } from "./format";

export function ActivityTable({ limit = 25, caption }: { limit?: number; caption: string }) {
  const trpc = useTRPC();
  const act = useQuery({ ...trpc.auctionInsights.activity.queryOptions({ limit }), refetchInterval: 15_000 });
  if (act.isPending) return <p>Loading…</p>;
  if (act.isError)
    return (
      <p className="error" role="alert">
        {messageOf(act.error)}
      </p>
    );
  return (
    <DataTable
      caption={caption}
      rows={act.data}
      rowKey={(t) => t.id}
      empty="Nothing yet: leads you are offered will show here."
      columns={[
        { key: "when", header: "When", cell: (t) => when(t.createdAt) },
        {
          key: "lead",
          header: "Lead",
          cell: (t) => (
            <Link to={`/leads/${t.leadId}`}>
              {t.vertical} · {t.zip}
            </Link>
          ),
        },
        { key: "buyer", header: "Buyer", cell: (t) => t.buyer },
        {
          key: "step",
          header: "Step",
          cell: (t) =>
            `${t.kind === "DIRECT" ? "direct" : t.kind.toLowerCase()}${t.pingOutcome ? ` · ${t.pingOutcome.toLowerCase().replace("_", " ")}` : ""}${t.latencyMs != null ? ` · ${t.latencyMs} ms` : ""}${t.cascadePosition != null ? ` · cascade #${t.cascadePosition}` : ""}`,
        },
        {
          key: "price",
          header: "Bid / price",
          numeric: true,
          cell: (t) => (t.isWinner ? money(t.priceCents) : money(t.bidCents)),
        },
        {
          key: "outcome",
          header: "Outcome",
          cell: (t) => (
            <span className={t.isWinner ? "ok" : t.lostReason ? "danger" : undefined}>
              {outcomeText(t)}
              {t.isWinner && t.deliveryMethod ? ` · by ${t.deliveryMethod.toLowerCase()}` : ""}
            </span>
          ),
        },
      ]}
    />
  );
}
