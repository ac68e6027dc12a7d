// One lead, as the viewer may see it (leads.get): every ping and bid, the cascade in order, the
// contractors' direct steps, the buyers' refusals by their rules, deliveries and the timeline.
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { messageOf, useTRPC } from "../../trpc";
import { reasonText } from "../insight/format";
import { money, outcomeText, when } from "./format";

export function LeadPage() {
  const { id = "" } = useParams();
  const trpc = useTRPC();
  const lead = useQuery(trpc.leads.get.queryOptions({ id }));
  if (lead.isPending) return <p>Loading…</p>;
  if (lead.isError) return <p className="error" role="alert">{messageOf(lead.error)}</p>;
  const l = lead.data;
  const pings = l.transactions.filter((t) => t.kind === "PING");
  const cascade = l.transactions.filter((t) => t.kind !== "DIRECT" && t.cascadePosition != null).sort((a, b) => (a.cascadePosition ?? 0) - (b.cascadePosition ?? 0));
  const direct = l.transactions.filter((t) => t.kind === "DIRECT");
  return (
    <section>
      <p>
        <Link to="/">← Back</Link>
      </p>
      <h1>
        Lead {l.vertical} · {l.zip}
      </h1>
      <p>
        <strong className={l.status === "SOLD" ? "ok" : l.status === "UNSOLD" ? "danger" : undefined}>{l.status}</strong>
        {l.unsoldReason ? ` (${l.unsoldReason})` : ""} · received {when(l.receivedAt)} · finished {when(l.finishedAt)}
        {l.revenueCents != null ? ` · revenue ${money(l.revenueCents)}` : ""} · {l.winnerCount} winner{l.winnerCount === 1 ? "" : "s"}
      </p>
      {l.contact ? (
        <p>
          Contact: {l.contact.firstName} {l.contact.lastName} {l.contact.phone ?? ""} {l.contact.email ?? ""}
        </p>
      ) : null}
      <h2>Pings and bids ({pings.length})</h2>
      <Steps rows={pings} empty="No network was pinged." />
      <h2>Cascade: posts in bid order</h2>
      <Steps rows={cascade} empty="No POST cascade ran." ordered />
      <h2>Contractors</h2>
      <Steps rows={direct} empty="No contractor took part." />
      <h2>Refused by the buyers' rules ({l.refusals.length})</h2>
      {l.refusals.length === 0 ? (
        <p>No buyer refused this lead by its rules.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Buyer</th>
                <th scope="col">Type</th>
                <th scope="col">Reason</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {l.refusals.map((r, i) => (
                <tr key={`${r.buyer}-${i}`}>
                  <td>{r.buyer}</td>
                  <td>{r.buyerType.toLowerCase()}</td>
                  <td className="danger">{reasonText(r.reason)}</td>
                  <td>{r.detail ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {"deliveries" in l ? (
        <>
          <h2>Deliveries</h2>
          {l.deliveries.length === 0 ? (
            <p>No deliveries.</p>
          ) : (
            <ul>
              {l.deliveries.map((d) => (
                <li key={d.id}>
                  {d.method.toLowerCase()}: <strong>{d.status}</strong> after {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                  {d.deliveredAt ? ` at ${when(d.deliveredAt)}` : ""}
                  {d.status === "failed" && d.nextAttemptAt ? ` · ${d.method === "EMAIL" ? "email" : "webhook"} failed, retrying at ${when(d.nextAttemptAt)}` : ""}
                  {d.lastError && !(d.method === "EMAIL" && d.status === "failed") ? ` · ${d.method === "EMAIL" ? "" : "last error: "}${d.lastError}` : ""}
                </li>
              ))}
            </ul>
          )}
          <h2>Timeline</h2>
          <ol className="timeline">
            {l.events.map((e) => (
              <li key={e.id}>
                <time>{when(e.at)}</time> <strong>{e.kind}</strong> <code>{JSON.stringify(e.data)}</code>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

type Tx = { buyer: string; kind: string; pingOutcome: string | null; bidCents: number | null; isWinner: boolean; lostReason: string | null; cascadePosition: number | null; priceCents: number | null; latencyMs: number | null; postLatencyMs: number | null; deliveryMethod: string | null; detail: string | null; winningBidAmountCents: number | null };

function Steps({ rows, empty, ordered }: { rows: Tx[]; empty: string; ordered?: boolean }) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {ordered ? <th scope="col">#</th> : null}
            <th scope="col">Buyer</th>
            <th scope="col">Answer</th>
            <th scope="col">Bid</th>
            <th scope="col">Outcome</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t, i) => (
            <tr key={`${t.buyer}-${i}`}>
              {ordered ? <td>{t.cascadePosition}</td> : null}
              <td>{t.buyer}</td>
              <td>
                {t.pingOutcome ?? t.kind.toLowerCase()}
                {t.latencyMs != null ? ` · ${t.latencyMs} ms` : ""}
                {t.postLatencyMs != null ? ` · post ${t.postLatencyMs} ms` : ""}
              </td>
              <td>{money(t.bidCents)}</td>
              <td className={t.isWinner ? "ok" : t.lostReason ? "danger" : undefined}>
                {outcomeText(t)}
                {t.isWinner ? ` · pays ${money(t.priceCents)}${t.deliveryMethod ? ` · by ${t.deliveryMethod.toLowerCase()}` : ""}` : t.winningBidAmountCents != null ? ` · winner paid ${money(t.winningBidAmountCents)}` : ""}
              </td>
              <td>{t.detail ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
