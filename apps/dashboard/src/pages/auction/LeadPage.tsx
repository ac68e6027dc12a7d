// One lead, as the viewer may see it (leads.get): every ping and bid, the cascade in order, the
// contractors' direct steps, the buyers' refusals by their rules, deliveries and the timeline.
// Every count on the page is counted from the rows the page lists, so the two cannot disagree.
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { DataTable, type Column } from "../../components/DataTable";
import { messageOf, useTRPC } from "../../trpc";
import {
  BUYER_TYPE_TEXT,
  DELIVERY_METHOD_TEXT,
  DELIVERY_STATUS_TEXT,
  labelOf,
  LEAD_STATUS_TEXT,
  PING_OUTCOME_TEXT,
  TRANSACTION_KIND_TEXT,
  UNSOLD_REASON_TEXT,
} from "../../labels";
import { EventText } from "../insight/EventText";
import { reasonText } from "../insight/format";
import { money, outcomeText, when } from "./format";

export function LeadPage() {
  const { id = "" } = useParams();
  const trpc = useTRPC();
  const lead = useQuery(trpc.leads.get.queryOptions({ id }));
  if (lead.isPending) return <p>Loading…</p>;
  if (lead.isError)
    return (
      <p className="error" role="alert">
        {messageOf(lead.error)}
      </p>
    );
  const l = lead.data;
  // A network's row is PING until it is posted, then POST: both were pinged.
  const pinged = l.transactions.filter((t) => t.kind !== "DIRECT");
  const cascade = pinged
    .filter((t) => t.cascadePosition != null)
    .sort((a, b) => (a.cascadePosition ?? 0) - (b.cascadePosition ?? 0));
  const direct = l.transactions.filter((t) => t.kind === "DIRECT");
  const wonHere = l.transactions.filter((t) => t.isWinner).length;
  // A buyer sees only its own rows; the lead's other winners are counted, not listed.
  const winners =
    wonHere === l.winnerCount
      ? `${wonHere} winner${wonHere === 1 ? "" : "s"}`
      : `${l.winnerCount} winner${l.winnerCount === 1 ? "" : "s"}, ${wonHere ? `${wonHere} of them listed below` : "none of them listed below"}`;
  return (
    <section>
      <p>
        <Link to="/">← Back</Link>
      </p>
      <h1>
        Lead {l.vertical} · {l.zip}
      </h1>
      <p>
        <strong className={l.status === "SOLD" ? "ok" : l.status === "UNSOLD" ? "danger" : undefined}>
          {labelOf(LEAD_STATUS_TEXT, l.status)}
        </strong>
        {l.unsoldReason ? ` (${labelOf(UNSOLD_REASON_TEXT, l.unsoldReason)})` : ""} · received {when(l.receivedAt)} ·
        finished {when(l.finishedAt)}
        {l.revenueCents != null ? ` · revenue ${money(l.revenueCents)}` : ""} ·{" "}
        <span data-testid="winner-count">{winners}</span>
      </p>
      {l.contact ? (
        <p>
          Contact: {l.contact.firstName} {l.contact.lastName} {l.contact.phone ?? ""} {l.contact.email ?? ""}
        </p>
      ) : null}
      <h2>Pings and bids ({pinged.length})</h2>
      <Steps rows={pinged} label="Pings and bids" empty="No network was pinged." />
      <h2>Cascade: posts in bid order ({cascade.length})</h2>
      <Steps rows={cascade} label="POST cascade" empty="No POST cascade ran." ordered />
      <h2>Contractors ({direct.length})</h2>
      <Steps rows={direct} label="Contractors" empty="No contractor took part." />
      <h2>Refused by the buyers' rules ({l.refusals.length})</h2>
      <DataTable
        caption="Refusals"
        rows={l.refusals.map((r, i) => ({ ...r, i }))}
        rowKey={(r) => `${r.buyer}-${r.i}`}
        empty="No buyer refused this lead by its rules."
        columns={[
          { key: "buyer", header: "Buyer", rowHeader: true, cell: (r) => r.buyer },
          { key: "type", header: "Type", cell: (r) => labelOf(BUYER_TYPE_TEXT, r.buyerType) },
          { key: "reason", header: "Reason", cell: (r) => <span className="danger">{reasonText(r.reason)}</span> },
          { key: "detail", header: "Detail", cell: (r) => r.detail ?? "" },
        ]}
      />
      {"deliveries" in l ? (
        <>
          <h2>Deliveries</h2>
          {l.deliveries.length === 0 ? (
            <p>No deliveries.</p>
          ) : (
            <ul>
              {l.deliveries.map((d) => (
                <li key={d.id}>
                  {labelOf(DELIVERY_METHOD_TEXT, d.method)}:{" "}
                  <strong data-testid="delivery-status">{DELIVERY_STATUS_TEXT[d.status]}</strong> after {d.attempts}{" "}
                  attempt
                  {d.attempts === 1 ? "" : "s"}
                  {d.deliveredAt ? ` at ${when(d.deliveredAt)}` : ""}
                  {d.status === "failed" && d.nextAttemptAt
                    ? ` · ${d.method === "EMAIL" ? "email" : "webhook"} failed, retrying at ${when(d.nextAttemptAt)}`
                    : ""}
                  {d.lastError && !(d.method === "EMAIL" && d.status === "failed")
                    ? ` · ${d.method === "EMAIL" ? "" : "last error: "}${d.lastError}`
                    : ""}
                </li>
              ))}
            </ul>
          )}
          <h2 id="lead-timeline">Timeline ({l.events.length})</h2>
          {l.events.length === 0 ? (
            <p>Nothing recorded for you on this lead.</p>
          ) : (
            <ol className="timeline" aria-labelledby="lead-timeline">
              {l.events.map((e) => (
                <li key={e.id} data-testid="lead-event">
                  <time dateTime={new Date(e.at).toISOString()}>{when(e.at)}</time>{" "}
                  <EventText kind={e.kind} data={e.data} />
                </li>
              ))}
            </ol>
          )}
        </>
      ) : null}
    </section>
  );
}

type Tx = {
  buyer: string;
  kind: string;
  pingOutcome: string | null;
  bidCents: number | null;
  isWinner: boolean;
  lostReason: string | null;
  cascadePosition: number | null;
  priceCents: number | null;
  latencyMs: number | null;
  postLatencyMs: number | null;
  deliveryMethod: string | null;
  detail: string | null;
  winningBidAmountCents: number | null;
};

/** How the buyer answered: its ping's outcome, or "direct" for a contractor's step. */
function outcomeOfPing(t: Tx): string {
  if (t.pingOutcome) return labelOf(PING_OUTCOME_TEXT, t.pingOutcome);
  return labelOf(TRANSACTION_KIND_TEXT, t.kind);
}

function Steps({ rows, label, empty, ordered }: { rows: Tx[]; label: string; empty: string; ordered?: boolean }) {
  const columns: Column<Tx & { i: number }>[] = [
    ...(ordered
      ? [{ key: "pos", header: "#", label: "Position", numeric: true, cell: (t: Tx) => t.cascadePosition }]
      : []),
    { key: "buyer", header: "Buyer", rowHeader: true, cell: (t) => t.buyer },
    {
      key: "answer",
      header: "Answer",
      cell: (t) =>
        `${outcomeOfPing(t)}${t.latencyMs != null ? ` · ${t.latencyMs} ms` : ""}${t.postLatencyMs != null ? ` · post ${t.postLatencyMs} ms` : ""}`,
    },
    { key: "bid", header: "Bid", numeric: true, cell: (t) => money(t.bidCents) },
    {
      key: "outcome",
      header: "Outcome",
      cell: (t) => (
        <span className={t.isWinner ? "ok" : t.lostReason ? "danger" : undefined}>
          {outcomeText(t)}
          {t.isWinner
            ? ` · pays ${money(t.priceCents)}${t.deliveryMethod ? ` · by ${labelOf(DELIVERY_METHOD_TEXT, t.deliveryMethod)}` : ""}`
            : t.winningBidAmountCents != null
              ? ` · winner paid ${money(t.winningBidAmountCents)}`
              : ""}
        </span>
      ),
    },
    { key: "detail", header: "Detail", cell: (t) => t.detail ?? "" },
  ];
  return (
    <DataTable
      caption={label}
      rows={rows.map((t, i) => ({ ...t, i }))}
      rowKey={(t) => `${t.buyer}-${t.i}`}
      empty={empty}
      columns={columns}
    />
  );
}
