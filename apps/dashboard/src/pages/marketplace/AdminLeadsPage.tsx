// Every marketplace lead with its score, each component explained, and its timeline.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { EVENT_TYPE_LABELS } from "../../labels";
import { messageOf, useTRPC } from "../../trpc";

const COMPONENT_LABELS: Record<string, string> = { budget: "Budget (10-30)", urgency: "Urgency (8-25)", completeness: "Completeness (0-15)", demand: "Demand (0-20)", eventType: "Event type (5-10)" };

function LeadDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.marketAdmin.lead.queryOptions({ id }));
  if (detail.isPending) return <p>Loading…</p>;
  if (detail.isError) return <p className="error" role="alert">{messageOf(detail.error)}</p>;
  const { lead, events } = detail.data;
  return (
    <div className="card">
      <h2>Score {lead.scoreTotal ?? "–"} of 100</h2>
      <table>
        <tbody>
          {Object.entries(lead.scoreComponents ?? {}).map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{COMPONENT_LABELS[k] ?? k}</th>
              <td>{v}</td>
              <td>{lead.scoreExplanations?.[k]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Timeline</h2>
      <ol>
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={String(e.at)}>{new Date(e.at).toLocaleString()}</time> — {e.message}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function AdminLeadsPage() {
  const trpc = useTRPC();
  const leads = useQuery(trpc.marketAdmin.leads.queryOptions());
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section>
      <h1>Marketplace leads</h1>
      {leads.isError ? <p className="error" role="alert">{messageOf(leads.error)}</p> : null}
      <div className="table-wrap">
        <table>
          <thead><tr><th scope="col">Event</th><th scope="col">City</th><th scope="col">State</th><th scope="col">Score</th><th scope="col"><span className="sr-only">Details</span></th></tr></thead>
          <tbody>
            {leads.data?.map((l) => (
              <tr key={l.id}>
                <td>{EVENT_TYPE_LABELS[l.eventType]} on {l.eventDate}</td>
                <td>{l.city}</td>
                <td>{l.state}</td>
                <td>{l.scoreTotal ?? "–"}</td>
                <td>
                  <button type="button" aria-expanded={open === l.id} onClick={() => setOpen(open === l.id ? null : l.id)}>
                    {open === l.id ? "Hide" : "Why"}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open ? <LeadDetail id={open} /> : null}
    </section>
  );
}
