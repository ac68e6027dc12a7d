// A lead seller's home: for today, the last 7 and the last 30 days (days of the seller's own time
// zone, today included), the leads it sent and what became of them, and what they earned (payouts
// minus reversals). Every figure is summed from the rows on the server (sellerPortal.stats), and
// each card links to the Leads page filtered to the same days, which lists the same rows.
import type { AppRouter } from "@leadflow/api";
import { UNSOLD_REASONS } from "@leadflow/engine";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { Link } from "react-router";
import { UNSOLD_REASON_TEXT } from "../../labels";
import { messageOf, useTRPC } from "../../trpc";
import { money, sellerTime } from "./portal-format";

type Period = inferRouterOutputs<AppRouter>["sellerPortal"]["stats"]["periods"][number];

const PERIOD_TITLES: Record<string, string> = { today: "Today", "7d": "Last 7 days", "30d": "Last 30 days" };
const n = (v: number) => v.toLocaleString("en-US");

function PeriodCard({ p }: { p: Period }) {
  const title = PERIOD_TITLES[p.key] ?? p.key;
  const days = new URLSearchParams({ from: p.fromDay, to: p.toDay }).toString();
  const headingId = `period-${p.key}`;
  return (
    <li className="card overview-card" data-testid={`seller-stats-${p.key}`}>
      <h2 id={headingId}>{title}</h2>
      <p className="overview-main">
        <strong data-testid="earned">{money(p.earnedCents)}</strong> <span className="hint">earned</span>
      </p>
      <dl className="facts">
        <dt>Leads sent</dt>
        <dd data-testid="sent">{n(p.sent)}</dd>
        <dt>Accepted</dt>
        <dd data-testid="accepted">{n(p.accepted)}</dd>
        <dt>Sold</dt>
        <dd data-testid="sold">{n(p.sold)}</dd>
        <dt>Unsold</dt>
        <dd data-testid="unsold">
          {n(p.unsold)}
          {p.unsold > 0 ? (
            <ul className="unsold-reasons">
              {UNSOLD_REASONS.filter((r) => p.unsoldByReason[r] > 0).map((r) => (
                <li key={r}>
                  {n(p.unsoldByReason[r])}: {UNSOLD_REASON_TEXT[r]}
                </li>
              ))}
            </ul>
          ) : null}
        </dd>
        {p.inProgress > 0 ? (
          <>
            <dt>In the auction</dt>
            <dd>{n(p.inProgress)}</dd>
          </>
        ) : null}
        <dt>Returned</dt>
        <dd data-testid="returned">{n(p.returned)}</dd>
        <dt>Payouts</dt>
        <dd>{money(p.paidCents)}</dd>
        <dt>Reversed by returns</dt>
        <dd>{money(p.reversedCents)}</dd>
        <dt>Pings (accepted)</dt>
        <dd>
          {n(p.pings)} ({n(p.pingsAccepted)})
        </dd>
      </dl>
      <p>
        <Link to={`/leads?${days}`}>See the leads of {title.toLowerCase()}</Link>
      </p>
    </li>
  );
}

export function SellerHomePage() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const stats = useQuery(trpc.sellerPortal.stats.queryOptions());
  return (
    <section aria-labelledby="seller-home-title">
      <h1 id="seller-home-title">Your leads at a glance</h1>
      <p>
        Signed in as {me.data?.name} for <strong>{me.data?.orgName}</strong>.
      </p>
      {stats.data ? (
        <p data-testid="seller-time-zone">
          Times in <strong>{stats.data.timeZone}</strong>. <Link to="/terms#time-zone">Change your time zone</Link>
        </p>
      ) : null}
      <p className="hint">
        Days are your time zone's days (today since midnight there; 7 and 30 days include today), counted by when
        LeadFlow received each lead. Earned is what those leads paid you, minus the payouts that returns took back so
        far.
        {stats.data ? ` As of ${sellerTime(stats.data.asOf, stats.data.timeZone)}.` : ""}
      </p>
      {stats.isPending ? <p role="status">Loading your figures…</p> : null}
      {stats.isError ? (
        <p className="error" role="alert">
          {messageOf(stats.error) ?? "Your figures could not be loaded."} Reload the page.
        </p>
      ) : null}
      {stats.data ? (
        <ul className="overview-cards" aria-label="Your figures">
          {stats.data.periods.map((p) => (
            <PeriodCard key={p.key} p={p} />
          ))}
        </ul>
      ) : null}
      <p>
        <Link to="/leads">See every lead</Link> · <Link to="/earnings">Earnings by month</Link>
      </p>
    </section>
  );
}
