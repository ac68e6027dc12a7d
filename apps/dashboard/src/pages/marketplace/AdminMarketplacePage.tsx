// The admin's marketplace: the seed's success metrics beside their targets, and the concierge
// queue, where leads nobody took are handed to a DJ by hand.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import { DataTable } from "../../components/DataTable";
import { EVENT_TYPE_LABELS } from "../../labels";
import { usd } from "../../public/PublicRoutes";
import { messageOf, useTRPC } from "../../trpc";
import { RoutingSettingsForm } from "./RoutingSettingsForm";

const pct = (v: number | null) => (v == null ? "no data" : `${Math.round(v * 100)}%`);
const hours = (ms: number | null) => (ms == null ? "no data" : `${(ms / 3_600_000).toFixed(1)} h`);

interface MetricRow {
  name: string;
  value: string;
  target: string;
  ok: boolean | null;
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
  const metricRows: MetricRow[] = m
    ? [
        {
          name: "Leads accepted by a DJ",
          value: pct(m.acceptanceRate.value),
          target: m.acceptanceRate.target,
          ok: m.acceptanceRate.value == null ? null : m.acceptanceRate.value > 0.6,
        },
        {
          name: "Time to first response",
          value: hours(m.firstResponseMs.value),
          target: m.firstResponseMs.target,
          ok: m.firstResponseMs.value == null ? null : m.firstResponseMs.value < 4 * 3_600_000,
        },
        {
          name: "Leads converted to bookings",
          value: pct(m.conversionRate.value),
          target: m.conversionRate.target,
          ok: m.conversionRate.value == null ? null : m.conversionRate.value > 0.25,
        },
        {
          name: "Leads per available DJ",
          value: m.supplyDemand.value == null ? "no data" : m.supplyDemand.value.toFixed(2),
          target: m.supplyDemand.target,
          ok: m.supplyDemand.value == null ? null : m.supplyDemand.value >= 1 && m.supplyDemand.value <= 2,
        },
        {
          name: "Calculator → inquiry",
          value: pct(m.calculatorToInquiry.value),
          target: m.calculatorToInquiry.target,
          ok: m.calculatorToInquiry.value == null ? null : m.calculatorToInquiry.value > 0.15,
        },
        {
          name: "Calls attributed to a lead",
          value: pct(m.callAttribution.value),
          target: m.callAttribution.target,
          ok: m.callAttribution.value == null ? null : m.callAttribution.value > 0.4,
        },
      ]
    : [];
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
        <DataTable
          caption="Success metrics"
          rows={metricRows}
          rowKey={(r) => r.name}
          empty="No metrics yet."
          columns={[
            { key: "metric", header: "Metric", rowHeader: true, cell: (r) => r.name },
            {
              key: "now",
              header: "Now",
              cell: (r) => <span className={r.ok == null ? undefined : r.ok ? "ok" : "danger"}>{r.value}</span>,
            },
            { key: "target", header: "Target", cell: (r) => r.target },
          ]}
        />
      ) : null}
      <h2>Cities</h2>
      {m ? (
        <DataTable
          caption="Marketplace by city"
          rows={m.cities}
          rowKey={(c) => c.city}
          empty="No city has leads or DJs yet."
          columns={[
            { key: "city", header: "City", rowHeader: true, cell: (c) => c.city },
            { key: "leads", header: "Leads (30 d)", numeric: true, cell: (c) => c.leads30d },
            { key: "djs", header: "DJs", numeric: true, cell: (c) => c.djCount },
            {
              key: "ratio",
              header: "Leads per DJ",
              numeric: true,
              cell: (c) => (c.ratio == null ? "–" : `${c.ratio.toFixed(2)} (${c.band})`),
            },
            {
              key: "median",
              header: "Median price (90 d)",
              numeric: true,
              cell: (c) => (c.median == null ? "–" : usd(c.median)),
            },
            {
              key: "middle",
              header: "Middle half",
              numeric: true,
              cell: (c) => (c.p25 == null || c.p75 == null ? "–" : `${usd(c.p25)}–${usd(c.p75)}`),
            },
          ]}
        />
      ) : null}
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
      <p>
        These windows hold for every city without its own; see{" "}
        <Link to="/marketplace/windows">routing windows per city</Link>.
      </p>
      <RoutingSettingsForm />
    </section>
  );
}
