// DJ management: activate, suspend and grant credits. Routing scores are shown to admins only.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable } from "../../components/DataTable";
import { usd } from "../../public/PublicRoutes";
import { messageOf, useTRPC } from "../../trpc";

export function AdminDjsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [city, setCity] = useState("");
  const djs = useQuery(trpc.marketAdmin.djs.queryOptions(city ? { city } : undefined));
  const refresh = () => qc.invalidateQueries(trpc.marketAdmin.pathFilter());
  const status = useMutation(trpc.marketAdmin.setDjStatus.mutationOptions({ onSuccess: refresh }));
  const grant = useMutation(trpc.marketAdmin.grantCredits.mutationOptions({ onSuccess: refresh }));
  const error = status.error ?? grant.error;
  return (
    <section>
      <h1>DJs</h1>
      <div className="field">
        <label htmlFor="dj-city">City</label>
        <input id="dj-city" value={city} onChange={(e) => setCity(e.target.value)} placeholder="All cities" />
      </div>
      {error ? (
        <p className="error" role="alert">
          {messageOf(error)}
        </p>
      ) : null}
      {djs.isError ? (
        <p className="error" role="alert">
          {messageOf(djs.error)}
        </p>
      ) : null}
      {djs.isPending ? (
        <p>Loading…</p>
      ) : djs.data ? (
        <DataTable
          caption="DJs"
          rows={djs.data}
          rowKey={(d) => d.id}
          empty={city ? `No DJs in ${city}.` : "No DJs yet."}
          columns={[
            { key: "dj", header: "DJ", rowHeader: true, cell: (d) => d.name },
            { key: "city", header: "City", cell: (d) => d.city },
            { key: "tier", header: "Tier", cell: (d) => d.tier },
            { key: "prices", header: "Prices", cell: (d) => `${usd(d.priceMinCents)}–${usd(d.priceMaxCents)}` },
            {
              key: "score",
              header: "Score",
              numeric: true,
              // The parts of the score, in words, for the admin who hovers over it.
              cell: (d) => (
                <span
                  title={
                    d.routingComponents
                      ? Object.entries(d.routingComponents)
                          .map(([k, v]) => `${k} ${v}`)
                          .join(", ")
                      : undefined
                  }
                >
                  {d.routingScore}
                </span>
              ),
            },
            { key: "reliability", header: "Reliability", numeric: true, cell: (d) => d.reliability },
            { key: "credits", header: "Credits", numeric: true, cell: (d) => d.credits },
            {
              key: "status",
              header: "Status",
              cell: (d) =>
                d.isSuspended ? <span className="danger">suspended</span> : d.isActive ? "active" : "inactive",
            },
            {
              key: "actions",
              header: null,
              actions: true,
              cell: (d) => (
                <>
                  <button
                    type="button"
                    onClick={() => status.mutate({ djId: d.id, isSuspended: !d.isSuspended })}
                    aria-label={`${d.isSuspended ? "Reinstate" : "Suspend"} ${d.name}`}
                  >
                    {d.isSuspended ? "Reinstate" : "Suspend"}
                  </button>
                  <button
                    type="button"
                    onClick={() => status.mutate({ djId: d.id, isActive: !d.isActive })}
                    aria-label={`${d.isActive ? "Deactivate" : "Activate"} ${d.name}`}
                  >
                    {d.isActive ? "Deactivate" : "Activate"}
                  </button>
                  <button
                    type="button"
                    onClick={() => grant.mutate({ djId: d.id, credits: 5, note: "admin grant" })}
                    aria-label={`Grant 5 credits to ${d.name}`}
                  >
                    +5 credits
                  </button>
                </>
              ),
            },
          ]}
        />
      ) : null}
    </section>
  );
}
