// A lead seller's own terms, read-only: what it is paid per sold lead and how long its pings hold.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../trpc";
import { describeRule } from "./labels";

export function SellerTermsPage() {
  const trpc = useTRPC();
  const mine = useQuery(trpc.sources.mine.queryOptions());
  const s = mine.data;
  return (
    <section>
      <h1>Your terms</h1>
      <p>Set by LeadFlow. Ask your account manager to change them.</p>
      {mine.isPending ? <p>Loading…</p> : null}
      {mine.isError ? (
        <p className="error" role="alert">
          Your terms could not be loaded. Reload the page.
        </p>
      ) : null}
      {s ? (
        <>
          <h2>Payouts</h2>
          {s.rules.length === 0 ? <p>No payout is agreed yet: your leads earn nothing until one is.</p> : null}
          <ul>
            {s.rules.map((r) => (
              <li key={r.vertical ?? "*"}>
                <strong>{r.vertical ?? "All verticals"}</strong>: {describeRule(r)}
              </li>
            ))}
          </ul>
          <h2>Ping, then post</h2>
          <p>The bids of a ping are held for {s.pingTtlSeconds} seconds: post the lead before its expiresAt.</p>
          <h2>Returns</h2>
          <p>A return approved within {s.returnWindowDays} days of the sale takes back that lead's payout.</p>
        </>
      ) : null}
    </section>
  );
}
