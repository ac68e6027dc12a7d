// The admin's call analytics (attribution beside the seed's > 40% target, calls by day and by
// DJ) and the tracking numbers: assign, unassign, recording on or off.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { usd } from "../../public/PublicRoutes";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { ByDay } from "./ByDay";
import { pct } from "./format";

function AssignNumber() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const djs = useQuery(trpc.calls.djChoices.queryOptions());
  const [number, setNumber] = useState("");
  const [djId, setDjId] = useState("");
  const [recording, setRecording] = useState(false);
  const selectId = useId();
  const recId = useId();
  const assign = useMutation(
    trpc.calls.assignNumber.mutationOptions({
      onSuccess: () => {
        setNumber("");
        void qc.invalidateQueries(trpc.calls.pathFilter());
      },
    }),
  );
  const errs = fieldErrorsOf(assign.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    assign.mutate({ number, djId, recordingEnabled: recording });
  };
  return (
    <form className="card settings" onSubmit={submit} aria-label="Assign a tracking number">
      <Field
        label="Tracking number"
        hint="E.164: a plus sign, country code and number, e.g. +19015550100."
        value={number}
        onChange={(e) => setNumber(e.target.value)}
        errors={errs.number}
        required
        inputMode="tel"
        autoComplete="off"
      />
      <div className="field">
        <label htmlFor={selectId}>DJ</label>
        <select id={selectId} value={djId} onChange={(e) => setDjId(e.target.value)} required>
          <option value="">Choose a DJ…</option>
          {djs.data?.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.city})
            </option>
          ))}
        </select>
      </div>
      <label className="choice" htmlFor={recId}>
        <input id={recId} type="checkbox" checked={recording} onChange={(e) => setRecording(e.target.checked)} />
        <span>Record calls (callers in all-party consent states hear an announcement first)</span>
      </label>
      <div className="actions">
        <button type="submit" disabled={assign.isPending}>
          Assign number
        </button>
      </div>
      {assign.error ? (
        <p className="error" role="alert">
          {messageOf(assign.error)}
        </p>
      ) : null}
      {assign.isSuccess ? <p role="status">Assigned {assign.data.number}.</p> : null}
    </form>
  );
}

export function AdminCallsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const a = useQuery(trpc.calls.analytics.queryOptions());
  const numbers = useQuery(trpc.calls.numbers.queryOptions());
  const done = { onSuccess: () => qc.invalidateQueries(trpc.calls.pathFilter()) };
  const unassign = useMutation(trpc.calls.unassignNumber.mutationOptions(done));
  const setRecording = useMutation(trpc.calls.setRecording.mutationOptions(done));
  return (
    <section>
      <h1>Calls</h1>
      {a.isPending ? <p aria-live="polite">Loading call analytics…</p> : null}
      {a.isError ? (
        <p className="error" role="alert">
          {messageOf(a.error)}
        </p>
      ) : null}
      {a.data ? (
        <>
          <h2>Last {a.data.daysBack} days</h2>
          <DataTable
            caption="Call analytics"
            rows={[
              {
                name: "Call attribution rate",
                now: pct(a.data.attributionRate.value),
                target: a.data.attributionRate.target,
                ok: a.data.attributionRate.value == null ? null : a.data.attributionRate.value > 0.4,
              },
              { name: "Calls (ended)", now: a.data.calls },
              { name: "Counted (30 s or more)", now: a.data.counted },
              { name: "Billable (60 s or more)", now: a.data.billable },
              { name: "New leads billed", now: a.data.billedLeads },
              { name: "Repeat calls (same lead)", now: a.data.repeatCalls },
              { name: "Attributed to a lead", now: a.data.attributed },
              { name: "Became bookings", now: `${a.data.converted} (${usd(a.data.bookingValueCents)})` },
            ]}
            rowKey={(r) => r.name}
            empty="No calls yet."
            columns={[
              { key: "metric", header: "Metric", rowHeader: true, cell: (r) => r.name },
              {
                key: "now",
                header: "Now",
                cell: (r) =>
                  "ok" in r && r.ok != null ? <span className={r.ok ? "ok" : "danger"}>{r.now}</span> : r.now,
              },
              { key: "target", header: "Target", cell: (r) => ("target" in r ? r.target : "–") },
            ]}
          />
          <p className="hint">
            Attribution rate: calls of 30 s or more that are linked to a marketplace lead, out of all calls of 30 s or
            more.
          </p>
          <h3>By day</h3>
          <ByDay days={a.data.byDay} />
          <h3>By DJ</h3>
          <DataTable
            caption="Calls by DJ"
            rows={a.data.perDj}
            rowKey={(d) => d.djId}
            empty="No DJ had a call in this period."
            columns={[
              { key: "dj", header: "DJ", rowHeader: true, cell: (d) => d.djName },
              { key: "city", header: "City", cell: (d) => d.city },
              { key: "counted", header: "Counted", numeric: true, cell: (d) => d.counted },
              { key: "billable", header: "Billable", numeric: true, cell: (d) => d.billable },
              { key: "attributed", header: "Attributed", numeric: true, cell: (d) => d.attributed },
              { key: "booked", header: "Booked", numeric: true, cell: (d) => d.converted },
              { key: "value", header: "Value", numeric: true, cell: (d) => usd(d.bookingValueCents) },
            ]}
          />
        </>
      ) : null}
      <h2>Tracking numbers</h2>
      <AssignNumber />
      {numbers.isError ? (
        <p className="error" role="alert">
          {messageOf(numbers.error)}
        </p>
      ) : null}
      {unassign.error || setRecording.error ? (
        <p className="error" role="alert">
          {messageOf(unassign.error ?? setRecording.error)}
        </p>
      ) : null}
      {numbers.data ? (
        <DataTable
          caption="Tracking numbers"
          rows={numbers.data}
          rowKey={(n) => n.id}
          empty="No tracking numbers yet. Assign one above."
          columns={[
            { key: "number", header: "Number", rowHeader: true, cell: (n) => n.number },
            { key: "dj", header: "DJ", cell: (n) => (n.djName ? `${n.djName} (${n.djCity})` : "Unassigned") },
            { key: "recording", header: "Recording", cell: (n) => (n.recordingEnabled ? "On" : "Off") },
            { key: "shown", header: "Shown", numeric: true, cell: (n) => n.servedCount },
            {
              key: "actions",
              header: "Actions",
              actions: true,
              cell: (n) => (
                <>
                  <button
                    type="button"
                    onClick={() => setRecording.mutate({ numberId: n.id, recordingEnabled: !n.recordingEnabled })}
                    aria-label={`Turn recording ${n.recordingEnabled ? "off" : "on"} for ${n.number}`}
                  >
                    Turn recording {n.recordingEnabled ? "off" : "on"}
                  </button>
                  {n.djId ? (
                    <button
                      type="button"
                      onClick={() => unassign.mutate({ numberId: n.id })}
                      aria-label={`Unassign ${n.number}`}
                    >
                      Unassign
                    </button>
                  ) : null}
                </>
              ),
            },
          ]}
        />
      ) : null}
    </section>
  );
}
