// DJ management: activate, suspend and grant credits. Routing scores are shown to admins only.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
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
      {error ? <p className="error" role="alert">{messageOf(error)}</p> : null}
      {djs.isError ? <p className="error" role="alert">{messageOf(djs.error)}</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr><th scope="col">DJ</th><th scope="col">City</th><th scope="col">Tier</th><th scope="col">Prices</th><th scope="col">Score</th><th scope="col">Reliability</th><th scope="col">Credits</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {djs.data?.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td>{d.city}</td>
                <td>{d.tier}</td>
                <td>{usd(d.priceMinCents)}–{usd(d.priceMaxCents)}</td>
                <td title={d.routingComponents ? JSON.stringify(d.routingComponents) : undefined}>{d.routingScore}</td>
                <td>{d.reliability}</td>
                <td>{d.credits}</td>
                <td>{d.isSuspended ? <span className="danger">suspended</span> : d.isActive ? "active" : "inactive"}</td>
                <td className="actions">
                  <button type="button" onClick={() => status.mutate({ djId: d.id, isSuspended: !d.isSuspended })} aria-label={`${d.isSuspended ? "Reinstate" : "Suspend"} ${d.name}`}>
                    {d.isSuspended ? "Reinstate" : "Suspend"}
                  </button>
                  <button type="button" onClick={() => status.mutate({ djId: d.id, isActive: !d.isActive })} aria-label={`${d.isActive ? "Deactivate" : "Activate"} ${d.name}`}>
                    {d.isActive ? "Deactivate" : "Activate"}
                  </button>
                  <button type="button" onClick={() => grant.mutate({ djId: d.id, credits: 5, note: "admin grant" })} aria-label={`Grant 5 credits to ${d.name}`}>
                    +5 credits
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
