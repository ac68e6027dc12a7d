// The DJ's calls: tracking numbers customers see, the last 30 days in figures, and each call with
// what it counted as, the lead it belongs to, and the booking it became.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { dateTime } from "../../format/time";
import { usd } from "../../public/PublicRoutes";
import { CALL_CLASS_LABELS, EVENT_TYPE_LABELS, labelOf, RECORDING_LABELS } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { ByDay } from "./ByDay";
import { duration, pct } from "./format";

type Leads = { id: string; eventType: string; eventDate: string; city: string }[];

function LinkLead({ callId, leads }: { callId: string; leads: Leads }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const id = useId();
  const [leadId, setLeadId] = useState("");
  const link = useMutation(
    trpc.calls.attribute.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.calls.pathFilter()) }),
  );
  if (leads.length === 0) return null;
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (leadId) link.mutate({ callId, leadId });
      }}
    >
      <label htmlFor={id}>Link to one of your leads</label>
      <select id={id} value={leadId} onChange={(e) => setLeadId(e.target.value)} required>
        <option value="">Choose a lead…</option>
        {leads.map((l) => (
          <option key={l.id} value={l.id}>
            {labelOf(EVENT_TYPE_LABELS, l.eventType)} in {l.city} on {l.eventDate}
          </option>
        ))}
      </select>
      <button type="submit" disabled={link.isPending || !leadId}>
        Link call
      </button>
      {link.error ? (
        <p className="error" role="alert">
          {messageOf(link.error)}
        </p>
      ) : null}
    </form>
  );
}

function MarkBooked({ callId }: { callId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [ref, setRef] = useState("");
  const [value, setValue] = useState("");
  const mark = useMutation(
    trpc.calls.markConverted.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.calls.pathFilter()) }),
  );
  const errs = fieldErrorsOf(mark.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mark.mutate({ callId, bookingRef: ref, valueDollars: value === "" ? null : Number(value) });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Mark this call as booked">
      <Field
        label="Booking reference"
        value={ref}
        onChange={(e) => setRef(e.target.value)}
        errors={errs.bookingRef}
        required
        maxLength={80}
      />
      <Field
        label="Booking value ($)"
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        errors={errs.valueDollars}
      />
      <button type="submit" disabled={mark.isPending}>
        Mark as booked
      </button>
      {mark.error && !errs.bookingRef && !errs.valueDollars ? (
        <p className="error" role="alert">
          {messageOf(mark.error)}
        </p>
      ) : null}
    </form>
  );
}

export function DjCallsPage() {
  const trpc = useTRPC();
  const data = useQuery(trpc.calls.myCalls.queryOptions());
  const leads = useQuery(trpc.calls.myLeads.queryOptions());
  if (data.isPending) return <p aria-live="polite">Loading your calls…</p>;
  if (data.isError)
    return (
      <p className="error" role="alert">
        {messageOf(data.error)}
      </p>
    );
  const { stats, calls, numbers } = data.data;
  return (
    <section>
      <h1>Calls</h1>
      <h2>Your tracking numbers</h2>
      {numbers.length === 0 ? (
        <p>
          You have no tracking number yet. Ask an admin to assign one; until then customers can only reach you through
          quotes.
        </p>
      ) : (
        <>
          <ul aria-label="Tracking numbers">
            {numbers.map((n) => (
              <li key={n.id}>
                <strong>{n.number}</strong>{" "}
                {n.recordingEnabled ? "· calls may be recorded (with consent)" : "· not recorded"} · shown{" "}
                {n.servedCount} times
              </li>
            ))}
          </ul>
          <p className="hint">Customers see these numbers, never your own phone; calls to them ring your phone.</p>
        </>
      )}
      <h2>Last {stats.daysBack} days</h2>
      <DataTable
        caption="Call figures"
        rows={[
          { name: "Calls", value: stats.calls },
          { name: "Billable (60 s or more)", value: stats.billable },
          { name: "New leads billed (repeat callers within 7 days count once)", value: stats.billedLeads },
          {
            name: "Attributed to a lead",
            value: `${stats.attributed} (${pct(stats.attributionRate)} of counted calls)`,
          },
          { name: "Became bookings", value: stats.converted },
          { name: "Booking value", value: usd(stats.bookingValueCents) },
        ]}
        rowKey={(r) => r.name}
        empty="No calls yet."
        columns={[
          { key: "figure", header: "Figure", rowHeader: true, cell: (r) => r.name },
          { key: "value", header: "Value", cell: (r) => r.value },
        ]}
      />
      <h3>By day</h3>
      <ByDay days={stats.byDay} />
      <h2>Recent calls</h2>
      {calls.length === 0 ? <p>No calls yet.</p> : null}
      <ul className="cards" aria-label="Recent calls">
        {calls.map((c) => {
          const when = dateTime(c.startedAt);
          return (
            <li key={c.id} className="card" aria-label={`Call on ${when}`}>
              <h3>
                {when} · {duration(c.durationSec)}
              </h3>
              <p>
                <span className="tag">
                  {c.classification ? labelOf(CALL_CLASS_LABELS, c.classification) : c.status}
                </span>
                {c.billed ? <span className="tag">Billed</span> : null}
                {c.repeat ? <span className="tag">Repeat caller</span> : null}
                {c.callerTag ? (
                  <span className="tag">Caller #{c.callerTag}</span>
                ) : (
                  <span className="tag">Caller id withheld</span>
                )}
                {c.callerState ? <span className="tag">From {c.callerState}</span> : null}
              </p>
              <p>
                To {c.toNumber}. {c.attributionReason}
              </p>
              <p>
                {c.marketLeadId
                  ? `Lead: ${c.leadEventType ? labelOf(EVENT_TYPE_LABELS, c.leadEventType) : "event"} on ${c.leadEventDate}.`
                  : "Not linked to a lead."}{" "}
                {labelOf(RECORDING_LABELS, c.recordingReason)}
                {c.recordingUrl ? (
                  <>
                    {" "}
                    ·{" "}
                    <a href={c.recordingUrl} rel="noreferrer" target="_blank">
                      Recording
                    </a>
                  </>
                ) : null}
              </p>
              {c.convertedAt ? (
                <p className="ok">
                  Booked: {c.bookingRef}
                  {c.bookingValueCents != null ? ` (${usd(c.bookingValueCents)})` : ""}
                </p>
              ) : null}
              {c.classification && c.classification !== "ignored" && (!c.marketLeadId || !c.convertedAt) ? (
                <details>
                  <summary style={{ padding: "0.6rem 0", cursor: "pointer" }}>
                    {c.marketLeadId ? "Mark as booked" : "Link to a lead or mark as booked"}
                  </summary>
                  {!c.marketLeadId ? <LinkLead callId={c.id} leads={leads.data ?? []} /> : null}
                  {!c.convertedAt ? <MarkBooked callId={c.id} /> : null}
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
