// A contractor's home: how it buys leads right now, and what happened to the latest ones.
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { ActivityTable } from "../pages/auction/ActivityTable";
import { money } from "../pages/auction/format";
import { SummaryTable } from "../pages/auction/SummaryTable";
import { messageOf, useTRPC } from "../trpc";

export function ContractorHome() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const list = useQuery(trpc.buyers.list.queryOptions());
  return (
    <section>
      <h1>Your leads and delivery settings</h1>
      <p>
        Signed in as {me.data?.name} for <strong>{me.data?.orgName}</strong>.
      </p>
      {list.isError ? (
        <p className="error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : null}
      {list.data?.map((b) => (
        <div key={b.id} className="card summary-card">
          <h2>{b.name}</h2>
          <p data-testid="current-mode">
            {b.deliveryMode === "EXCLUSIVE" ? "Exclusive leads" : `Shared leads (up to ${b.maxSharedLeads} buyers)`} ·{" "}
            {b.pricingModel === "FIXED"
              ? `fixed ${money(b.fixedLeadPriceCents)}`
              : b.pricingModel === "AUCTION"
                ? `auction, max bid ${money(b.maxBidCents)}`
                : `hybrid, ${money(b.maxBidCents)} alone / ${money(b.sharedPriceCents)} shared`}
          </p>
          <p className="hint">
            {b.serviceZips.length} zip codes · daily cap {b.capDaily ?? "none"} · {b.hours ? "set hours" : "any time"} (
            {b.timeZone}) · by {b.deliveryMethods.join(", ").toLowerCase() || "no channel"}
            {b.active ? "" : " · paused"}
          </p>
          <Link to="/settings">Change delivery settings</Link>
        </div>
      ))}
      <h2>Last 7 days</h2>
      <SummaryTable />
      <h2>Latest leads offered to you</h2>
      <ActivityTable caption="Latest leads offered to you" />
    </section>
  );
}
