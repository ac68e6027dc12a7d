// A DJ's calendar (dates they can't play, or are holding) and their price range.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { DataTable } from "../../components/DataTable";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { AVAILABILITY_LABELS, labelOf } from "../../labels";
import { CalendarSync } from "./CalendarSync";

export function DjCalendarPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const profile = useQuery(trpc.marketDj.profile.queryOptions());
  const dates = useQuery(trpc.marketDj.availability.queryOptions());
  const refresh = () => qc.invalidateQueries(trpc.marketDj.pathFilter());
  const [date, setDate] = useState("");
  const [status, setStatus] = useState("unavailable");
  const [min, setMin] = useState<string | null>(null);
  const [max, setMax] = useState<string | null>(null);
  const statusId = useId();
  const setDay = useMutation(trpc.marketDj.setAvailability.mutationOptions({ onSuccess: refresh }));
  const setPrices = useMutation(trpc.marketDj.setPriceRange.mutationOptions({ onSuccess: refresh }));
  const p = profile.data;
  const minV = min ?? (p ? String(p.priceMinCents / 100) : "");
  const maxV = max ?? (p ? String(p.priceMaxCents / 100) : "");
  function saveDay(e: FormEvent) {
    e.preventDefault();
    setDay.mutate({ date, status: status as "unavailable" });
  }
  function savePrices(e: FormEvent) {
    e.preventDefault();
    setPrices.mutate({ priceMinDollars: Number(minV), priceMaxDollars: Number(maxV) });
  }
  const dayErrs = fieldErrorsOf(setDay.error);
  const priceErrs = fieldErrorsOf(setPrices.error);
  return (
    <section>
      <h1>Calendar and prices</h1>
      <h2>Your price range</h2>
      <p>You always set your own price. Customers whose budget overlaps your range can be offered to you.</p>
      <form onSubmit={savePrices} noValidate className="card">
        <Field
          label="From ($)"
          type="number"
          inputMode="numeric"
          value={minV}
          onChange={(e) => setMin(e.target.value)}
          errors={priceErrs.priceMinDollars ?? priceErrs.priceMinCents}
        />
        <Field
          label="Up to ($)"
          type="number"
          inputMode="numeric"
          value={maxV}
          onChange={(e) => setMax(e.target.value)}
          errors={priceErrs.priceMaxDollars}
        />
        {setPrices.error && !Object.keys(priceErrs).length ? (
          <p className="error" role="alert">
            {messageOf(setPrices.error)}
          </p>
        ) : null}
        {setPrices.isSuccess ? (
          <p className="ok" role="status">
            Prices saved.
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={setPrices.isPending}>
          Save prices
        </button>
      </form>
      <h2>Dates</h2>
      <p>Dates you haven't marked count as available. Block the ones you can't play.</p>
      <form onSubmit={saveDay} noValidate className="card">
        <Field label="Date" type="date" value={date} onChange={(e) => setDate(e.target.value)} errors={dayErrs.date} />
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} value={status} onChange={(e) => setStatus(e.target.value)}>
            {Object.entries(AVAILABILITY_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        {setDay.error && !Object.keys(dayErrs).length ? (
          <p className="error" role="alert">
            {messageOf(setDay.error)}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={setDay.isPending}>
          Save date
        </button>
      </form>
      {dates.data ? (
        <DataTable
          caption="Marked dates"
          rows={dates.data}
          rowKey={(d) => d.date}
          empty="No dates marked yet."
          columns={[
            { key: "date", header: "Date", rowHeader: true, cell: (d) => d.date },
            {
              key: "status",
              header: "Status",
              cell: (d) =>
                `${labelOf(AVAILABILITY_LABELS, d.status)}${d.lockedUntil && new Date(d.lockedUntil).getTime() > Date.now() ? " · held for an offer" : ""}`,
            },
          ]}
        />
      ) : null}
      <CalendarSync />
    </section>
  );
}
