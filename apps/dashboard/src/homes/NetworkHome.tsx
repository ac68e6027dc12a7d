// A network buyer's home: its pings, bids, wins and lost reasons, and its own terms.
import { useQuery } from "@tanstack/react-query";
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
      {list.isError ? <p className="error" role="alert">{messageOf(list.error)}</p> : null}
      {list.data?.length === 0 ? <p>No buyer is set up for your organisation yet.</p> : null}
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Your buyers' terms</caption>
          <thead>
            <tr>
              <th scope="col">Buyer</th>
              <th scope="col">Verticals</th>
              <th scope="col">Min bid</th>
              <th scope="col">Ping timeout</th>
              <th scope="col">Daily cap</th>
              <th scope="col">Requires</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((b) => (
              <tr key={b.id}>
                <td>
                  {b.name}
                  {b.active ? "" : " (paused)"}
                </td>
                <td>{b.verticals.join(", ")}</td>
                <td>{money(b.minBidCents)}</td>
                <td>{b.pingTimeoutMs} ms</td>
                <td>{b.capDaily ?? "none"}</td>
                <td>{b.compliance.join(", ") || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
