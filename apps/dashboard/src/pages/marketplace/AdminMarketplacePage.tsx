// The admin's marketplace: the seed's success metrics beside their targets, and the concierge
// queue, where leads nobody took are handed to a DJ by hand.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { EVENT_TYPE_LABELS } from "../../labels";
import { usd } from "../../public/PublicRoutes";
import { messageOf, useTRPC } from "../../trpc";
import { RoutingSettingsForm } from "./RoutingSettingsForm";

const pct = (v: number | null) => (v == null ? "no data" : `${Math.round(v * 100)}%`);
const hours = (ms: number | null) => (ms == null ? "no data" : `${(ms / 3_600_000).toFixed(1)} h`);

function Metric({ name, value, target, ok }: { name: string; value: string; target: string; ok: boolean | null }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td className={ok == null ? "" : ok ? "ok" : "danger"}>{value}</td>
      <td>{target}</td>
    </tr>
  );
}

function AssignForm({ leadId, city }: { leadId: string; city: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const djs = useQuery(trpc.marketAdmin.djs.queryOptions({ city }));
  const [djId, setDjId] = useState("");
  const id = useId();
  const assign = useMutation(
    trpc.marketAdmin.assign.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.marketAdmin.pathFilter()) }),
  );
  const chosen = djId || djs.data?.[0]?.id || "";
  return (
    <div className="inline-form">
      <div className="field">
        <label htmlFor={id}>DJ</label>
        <select id={id} value={chosen} onChange={(e) => setDjId(e.target.value)}>
          {djs.data
            ?.filter((d) => d.isActive && !d.isSuspended)
            .map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({usd(d.priceMinCents)}–{usd(d.priceMaxCents)})
              </option>
            ))}
        </select>
      </div>
      <button
        type="button"
        className="primary"
        disabled={!chosen || assign.isPending}
        onClick={() => assign.mutate({ leadId, djId: chosen })}
      >
        Assign
      </button>
      {assign.error ? (
        <p className="error" role="alert">
          {messageOf(assign.error)}
        </p>
      ) : null}
    </div>
  );
}

export function AdminMarketplacePage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const metrics = useQuery(trpc.marketAdmin.metrics.queryOptions());
  const queue = useQuery(trpc.marketAdmin.concierge.queryOptions());
  const recompute = useMutation(
    trpc.marketAdmin.recompute.mutationOptions({
      onSuccess: () => qc.invalidateQueries(trpc.marketAdmin.pathFilter()),
    }),
  );
  const m = metrics.data;
  return (
    <section>
      <h1>Marketplace</h1>
      <h2>Success metrics (last 30 days)</h2>
      {metrics.isError ? (
        <p className="error" role="alert">
          {messageOf(metrics.error)}
        </p>
      ) : null}
      {m ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Now</th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            <Metric
              name="Leads accepted by a DJ"
              value={pct(m.acceptanceRate.value)}
              target={m.acceptanceRate.target}
              ok={m.acceptanceRate.value == null ? null : m.acceptanceRate.value > 0.6}
            />
            <Metric
              name="Time to first response"
              value={hours(m.firstResponseMs.value)}
              target={m.firstResponseMs.target}
              ok={m.firstResponseMs.value == null ? null : m.firstResponseMs.value < 4 * 3_600_000}
            />
            <Metric
              name="Leads converted to bookings"
              value={pct(m.conversionRate.value)}
              target={m.conversionRate.target}
              ok={m.conversionRate.value == null ? null : m.conversionRate.value > 0.25}
            />
            <Metric
              name="Leads per available DJ"
              value={m.supplyDemand.value == null ? "no data" : m.supplyDemand.value.toFixed(2)}
              target={m.supplyDemand.target}
              ok={m.supplyDemand.value == null ? null : m.supplyDemand.value >= 1 && m.supplyDemand.value <= 2}
            />
            <Metric
              name="Calculator → inquiry"
              value={pct(m.calculatorToInquiry.value)}
              target={m.calculatorToInquiry.target}
              ok={m.calculatorToInquiry.value == null ? null : m.calculatorToInquiry.value > 0.15}
            />
            <Metric
              name="Calls attributed to a lead"
              value={pct(m.callAttribution.value)}
              target={m.callAttribution.target}
              ok={m.callAttribution.value == null ? null : m.callAttribution.value > 0.4}
            />
          </tbody>
        </table>
      ) : null}
      <h2>Cities</h2>
      <div className="table-wrap" role="region" tabIndex={0} aria-label="Marketplace by city (scrolls sideways)">
        <table>
          <thead>
            <tr>
              <th scope="col">City</th>
              <th scope="col">Leads (30 d)</th>
              <th scope="col">DJs</th>
              <th scope="col">Leads per DJ</th>
              <th scope="col">Median price (90 d)</th>
              <th scope="col">Middle half</th>
            </tr>
          </thead>
          <tbody>
            {m?.cities.map((c) => (
              <tr key={c.city}>
                <td>{c.city}</td>
                <td>{c.leads30d}</td>
                <td>{c.djCount}</td>
                <td>{c.ratio == null ? "–" : `${c.ratio.toFixed(2)} (${c.band})`}</td>
                <td>{c.median == null ? "–" : usd(c.median)}</td>
                <td>{c.p25 == null || c.p75 == null ? "–" : `${usd(c.p25)}–${usd(c.p75)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" disabled={recompute.isPending} onClick={() => recompute.mutate()}>
        Recompute statistics and scores now
      </button>
      <h2>Concierge queue</h2>
      {queue.data?.length === 0 ? <p>Nothing waiting: every lead found a DJ.</p> : null}
      <ul className="cards" aria-label="Concierge queue">
        {queue.data?.map((l) => (
          <li key={l.id} className="card">
            <h3>
              {EVENT_TYPE_LABELS[l.eventType]} in {l.city} on {l.eventDate}
            </h3>
            <p>
              Budget {l.budgetMinCents != null ? usd(l.budgetMinCents) : "?"}–
              {l.budgetMaxCents != null ? usd(l.budgetMaxCents) : "?"} · score {l.scoreTotal ?? "–"} ·{" "}
              {l.reason === "no_eligible_djs" ? "no DJ was eligible" : "nobody accepted in time"}
            </p>
            <AssignForm leadId={l.id} city={l.city} />
          </li>
        ))}
      </ul>
      <h2>Routing settings</h2>
      <RoutingSettingsForm />
    </section>
  );
}
