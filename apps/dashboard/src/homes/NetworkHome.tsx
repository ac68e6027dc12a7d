// A network buyer's home: its pings, bids, wins and lost reasons, and its own terms.
import { useQuery } from "@tanstack/react-query";
import { DataTable } from "../components/DataTable";
import { ActivityTable } from "../pages/auction/ActivityTable";
import { money } from "../pages/auction/format";
import { SummaryTable } from "../pages/auction/SummaryTable";
import { messageOf, useTRPC } from "../trpc";

export function NetworkHome() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const list = useQuery(trpc.buyers.list.queryOptions());
  return (
    <section>
      <h1>Your pings, bids and wins</h1>
      <p>
        Signed in as {me.data?.name} for <strong>{me.data?.orgName}</strong>.
      </p>
      <h2>Last 7 days</h2>
      <SummaryTable />
      <h2>Latest pings and posts</h2>
      <ActivityTable caption="Latest pings and posts" limit={50} />
      <h2>Your terms</h2>
      {list.isError ? (
        <p className="error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : null}
      {list.data ? (
        <DataTable
          caption="Your buyers' terms"
          rows={list.data}
          rowKey={(b) => b.id}
          empty="No buyer is set up for your organisation yet."
          columns={[
            { key: "buyer", header: "Buyer", rowHeader: true, cell: (b) => `${b.name}${b.active ? "" : " (paused)"}` },
            { key: "verticals", header: "Verticals", cell: (b) => b.verticals.join(", ") },
            { key: "min", header: "Min bid", numeric: true, cell: (b) => money(b.minBidCents) },
            { key: "timeout", header: "Ping timeout", numeric: true, cell: (b) => `${b.pingTimeoutMs} ms` },
            { key: "cap", header: "Daily cap", numeric: true, cell: (b) => b.capDaily ?? "none" },
            { key: "requires", header: "Requires", cell: (b) => b.compliance.join(", ") || "—" },
          ]}
        />
      ) : null}
    </section>
  );
}
