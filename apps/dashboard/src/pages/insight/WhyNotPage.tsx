// "Why didn't I get this lead?" for a network or contractor (an admin picks the buyer): every lead
// the buyer was considered for, its own verdict, outcome and reason, and what the winner paid.
// Competitors never appear: the server sends only the buyer's own rows and amounts.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { messageOf, useTRPC } from "../../trpc";
import { money, ms, OUTCOME_TEXT, reasonText, when } from "./format";

export function WhyNotPage({ admin = false }: { admin?: boolean }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.buyers.list.queryOptions());
  const [buyerId, setBuyerId] = useState("");
  const [days, setDays] = useState(30);
  const q = useQuery({ ...trpc.insight.whyNot.queryOptions({ days, ...(buyerId ? { buyerId } : {}) }), enabled: !admin || Boolean(buyerId) });
  return (
    <section>
      <h1>Why didn't I get this lead?</h1>
      <p className="hint">Every lead {admin ? "the buyer" : "your buyers"} were considered for: your verdict, what happened and why. The winner is never named; you see what it paid.</p>
      <div className="inline-form grid3">
        <div className="field">
          <label htmlFor="why-buyer">Buyer</label>
          <select id="why-buyer" value={buyerId} onChange={(e) => setBuyerId(e.target.value)}>
            <option value="">{admin ? "Choose a buyer" : "All my buyers"}</option>
            {list.data?.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
                {admin ? ` (${b.orgName ?? ""})` : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="why-days">Period</label>
          <select id="why-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={1}>Last 24 hours</option>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </div>
      </div>
      {admin && !buyerId ? <p>Choose a buyer to see its view.</p> : null}
      {q.isError ? <p className="error" role="alert">{messageOf(q.error)}</p> : null}
      {q.isPending && (!admin || buyerId) ? <p>Loading…</p> : null}
      {q.data?.items.length === 0 ? <p>No lead was considered for {admin ? "this buyer" : "you"} in this period.</p> : null}
      {q.data && q.data.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Leads considered</caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Lead</th>
                <th scope="col">Buyer</th>
                <th scope="col">Outcome</th>
                <th scope="col">Why</th>
                <th scope="col">Your answer</th>
                <th scope="col">Winner paid</th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((r) => (
                <tr key={`${r.leadId}-${r.buyerId}`} data-testid="why-row" data-lead={r.leadId}>
                  <td>{when(r.receivedAt)}</td>
                  <td>
                    <Link to={`/leads/${r.leadId}`}>
                      {r.vertical} · {r.zip}
                    </Link>
                  </td>
                  <td>{r.buyer}</td>
                  <td className={r.outcome === "WON" ? "ok" : "danger"} data-testid="why-outcome">
                    {OUTCOME_TEXT[r.outcome] ?? r.outcome}
                    {r.paidCents != null ? `, paid ${money(r.paidCents)}` : ""}
                  </td>
                  <td>
                    <strong data-testid="why-reason">{r.outcome === "WON" ? "—" : reasonText(r.reason)}</strong>
                    {r.detail ? <span className="hint"> {r.detail}</span> : null}
                  </td>
                  <td>
                    {r.pingOutcome ?? "—"}
                    {r.bidCents != null ? ` · ${money(r.bidCents)}` : ""}
                    {r.latencyMs != null ? ` · ${ms(r.latencyMs)}` : ""}
                  </td>
                  <td data-testid="why-winning-bid">{r.winningBidCents != null ? money(r.winningBidCents) : r.leadSold ? "—" : "not sold"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export const AdminWhyNotPage = () => <WhyNotPage admin />;
