// "Why didn't I get this lead?" for a network or contractor (an admin picks the buyer): every lead
// the buyer was considered for, its own verdict, outcome and reason, and what the winner paid.
// Competitors never appear: the server sends only the buyer's own rows and amounts.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { DataTable } from "../../components/DataTable";
import { messageOf, useTRPC } from "../../trpc";
import { money, ms, OUTCOME_TEXT, reasonText, when } from "./format";

export function WhyNotPage({ admin = false }: { admin?: boolean }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.buyers.list.queryOptions());
  const [buyerId, setBuyerId] = useState("");
  const [days, setDays] = useState(30);
  const q = useQuery({
    ...trpc.insight.whyNot.queryOptions({ days, ...(buyerId ? { buyerId } : {}) }),
    enabled: !admin || Boolean(buyerId),
  });
  return (
    <section>
      <h1>Why didn't I get this lead?</h1>
      <p className="hint">
        Every lead {admin ? "the buyer" : "your buyers"} were considered for: your verdict, what happened and why. The
        winner is never named; you see what it paid.
      </p>
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
      {q.isError ? (
        <p className="error" role="alert">
          {messageOf(q.error)}
        </p>
      ) : null}
      {q.isPending && (!admin || buyerId) ? <p>Loading…</p> : null}
      {q.data ? (
        <DataTable
          caption="Leads considered"
          rows={q.data.items}
          rowKey={(r) => `${r.leadId}-${r.buyerId}`}
          rowProps={(r) => ({ "data-testid": "why-row", "data-lead": r.leadId })}
          empty={`No lead was considered for ${admin ? "this buyer" : "you"} in this period.`}
          columns={[
            { key: "received", header: "Received", cell: (r) => when(r.receivedAt) },
            {
              key: "lead",
              header: "Lead",
              cell: (r) => (
                <Link to={`/leads/${r.leadId}`}>
                  {r.vertical} · {r.zip}
                </Link>
              ),
            },
            { key: "buyer", header: "Buyer", cell: (r) => r.buyer },
            {
              key: "outcome",
              header: "Outcome",
              cell: (r) => (
                <span className={r.outcome === "WON" ? "ok" : "danger"} data-testid="why-outcome">
                  {OUTCOME_TEXT[r.outcome] ?? r.outcome}
                  {r.paidCents != null ? `, paid ${money(r.paidCents)}` : ""}
                </span>
              ),
            },
            {
              key: "why",
              header: "Why",
              cell: (r) => (
                <>
                  <strong data-testid="why-reason">{r.outcome === "WON" ? "—" : reasonText(r.reason)}</strong>
                  {r.detail ? <span className="hint"> {r.detail}</span> : null}
                </>
              ),
            },
            {
              key: "answer",
              header: "Your answer",
              cell: (r) =>
                `${r.pingOutcome ?? "—"}${r.bidCents != null ? ` · ${money(r.bidCents)}` : ""}${r.latencyMs != null ? ` · ${ms(r.latencyMs)}` : ""}`,
            },
            {
              key: "winner",
              header: "Winner paid",
              numeric: true,
              cell: (r) => (
                <span data-testid="why-winning-bid">
                  {r.winningBidCents != null ? money(r.winningBidCents) : r.leadSold ? "—" : "not sold"}
                </span>
              ),
            },
          ]}
        />
      ) : null}
    </section>
  );
}

export const AdminWhyNotPage = () => <WhyNotPage admin />;
