// Every marketplace lead with its score, each component explained, and its timeline.
import type { LeadScoreComponents } from "@leadflow/engine";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable } from "../../components/DataTable";
import { dateTime } from "../../format/time";
import { EVENT_TYPE_LABELS, labelOf } from "../../labels";
import { messageOf, useTRPC } from "../../trpc";

const COMPONENT_LABELS: Record<keyof LeadScoreComponents, string> = {
  budget: "Budget (10-30)",
  urgency: "Urgency (8-25)",
  completeness: "Completeness (0-15)",
  demand: "Demand (0-20)",
  eventType: "Event type (5-10)",
};

function LeadDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.marketAdmin.lead.queryOptions({ id }));
  if (detail.isPending) return <p>Loading…</p>;
  if (detail.isError)
    return (
      <p className="error" role="alert">
        {messageOf(detail.error)}
      </p>
    );
  const { lead, events } = detail.data;
  return (
    <div className="card">
      <h2>Score {lead.scoreTotal ?? "–"} of 100</h2>
      <DataTable
        caption="Score components"
        rows={Object.entries(lead.scoreComponents ?? {})}
        rowKey={([k]) => k}
        empty="This lead has no score yet."
        columns={[
          { key: "part", header: "Part", rowHeader: true, cell: ([k]) => labelOf(COMPONENT_LABELS, k) },
          { key: "points", header: "Points", numeric: true, cell: ([, v]) => v },
          { key: "why", header: "Why", cell: ([k]) => lead.scoreExplanations?.[k] },
        ]}
      />
      <h2>Timeline</h2>
      <ol>
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={String(e.at)}>{dateTime(e.at)}</time> — {e.message}
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
      {leads.isError ? (
        <p className="error" role="alert">
          {messageOf(leads.error)}
        </p>
      ) : null}
      {leads.data ? (
        <DataTable
          caption="Marketplace leads"
          rows={leads.data}
          rowKey={(l) => l.id}
          empty="No marketplace leads yet."
          columns={[
            {
              key: "event",
              header: "Event",
              rowHeader: true,
              cell: (l) => `${EVENT_TYPE_LABELS[l.eventType]} on ${l.eventDate}`,
            },
            { key: "city", header: "City", cell: (l) => l.city },
            { key: "state", header: "State", cell: (l) => l.state },
            { key: "score", header: "Score", numeric: true, cell: (l) => l.scoreTotal ?? "–" },
            {
              key: "details",
              header: null,
              label: "Details",
              actions: true,
              cell: (l) => (
                <button
                  type="button"
                  aria-expanded={open === l.id}
                  onClick={() => setOpen(open === l.id ? null : l.id)}
                >
                  {open === l.id ? "Hide" : "Why"}
                </button>
              ),
            },
          ]}
        />
      ) : leads.isPending ? (
        <p>Loading…</p>
      ) : null}
      {open ? <LeadDetail id={open} /> : null}
    </section>
  );
}
