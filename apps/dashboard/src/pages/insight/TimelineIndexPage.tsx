// The admin's way into lead timelines: the latest auction leads, and any lead (auction or DJ) by id.
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { DataTable } from "../../components/DataTable";
import { messageOf, useTRPC } from "../../trpc";
import { money, reasonText, when } from "./format";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function TimelineIndexPage() {
  const trpc = useTRPC();
  const nav = useNavigate();
  const latest = useQuery(trpc.leads.list.queryOptions({ limit: 50 }));
  const [id, setId] = useState("");
  const [error, setError] = useState<string | null>(null);
  function open(e: FormEvent) {
    e.preventDefault();
    if (!UUID.test(id.trim()))
      return setError("Paste a lead id, like 3f2b…-…; you find it on the lead's page or in the API answer.");
    void nav(`/leads/${id.trim()}`);
  }
  return (
    <section>
      <h1>Lead timelines</h1>
      <form className="inline-form" onSubmit={open} noValidate>
        <div className="field">
          <label htmlFor="lead-id">Open a lead by id (auction or DJ lead)</label>
          <input
            id="lead-id"
            value={id}
            onChange={(e) => (setId(e.target.value), setError(null))}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "lead-id-err" : undefined}
          />
          {error ? (
            <p className="error" id="lead-id-err" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit">Open</button>
      </form>
      <h2>Latest auction leads</h2>
      {latest.isError ? (
        <p className="error" role="alert">
          {messageOf(latest.error)}
        </p>
      ) : null}
      {latest.data ? (
        <DataTable
          caption="Latest auction leads"
          rows={latest.data}
          rowKey={(l) => l.id}
          empty="No leads yet."
          columns={[
            { key: "received", header: "Received", cell: (l) => when(l.receivedAt) },
            {
              key: "lead",
              header: "Lead",
              cell: (l) => (
                <Link to={`/leads/${l.id}`}>
                  {l.vertical} · {l.zip}
                </Link>
              ),
            },
            {
              key: "status",
              header: "Status",
              cell: (l) => `${l.status}${l.unsoldReason ? ` (${reasonText(l.unsoldReason)})` : ""}`,
            },
            { key: "revenue", header: "Revenue", numeric: true, cell: (l) => money(l.revenueCents) },
          ]}
        />
      ) : null}
    </section>
  );
}
