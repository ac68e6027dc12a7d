// A DJ's calendar (dates they can't play, or are holding) and their price range.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { DataTable } from "../../components/DataTable";
import { mergeErrors, useEditForm, wholeNumber, type FieldErrors } from "../../components/form";
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
  const statusId = useId();
  const setDay = useMutation(trpc.marketDj.setAvailability.mutationOptions({ onSuccess: refresh }));
  function saveDay(e: FormEvent) {
    e.preventDefault();
    setDay.mutate({ date, status: status as "unavailable" });
  }
  const dayErrs = fieldErrorsOf(setDay.error);
  return (
    <section>
      <h1>Calendar and prices</h1>
      <h2>Your price range</h2>
      <p>You always set your own price. Customers whose budget overlaps your range can be offered to you.</p>
      {profile.data ? (
        <PriceRangeForm min={String(profile.data.priceMinCents / 100)} max={String(profile.data.priceMaxCents / 100)} />
      ) : profile.isError ? (
        <p className="error" role="alert">
          {messageOf(profile.error)}
        </p>
      ) : (
        <p aria-live="polite">Loading your prices…</p>
      )}
      <h2>Dates</h2>
      <p>
        Dates you haven't marked count as available. Block the ones you can't play. A date you accepted an inquiry for
        is held for that couple: you get no other inquiries for it until they book someone or the inquiry closes.
      </p>
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
            {
              key: "held",
              header: "Held for a quote",
              cell: (d) => (d.held ? "Held: you accepted a couple's inquiry for this date" : "—"),
            },
          ]}
        />
      ) : null}
      <CalendarSync />
    </section>
  );
}

/** The DJ's price range, on the shared form hooks: every problem at once, focus on the first, a warning before leaving. */
function PriceRangeForm({ min, max }: { min: string; max: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const form = useEditForm({ min, max });
  const save = useMutation(
    trpc.marketDj.setPriceRange.mutationOptions({
      onSuccess: async (_r, input) => {
        form.saved({ min: String(input.priceMinDollars), max: String(input.priceMaxDollars) });
        await qc.invalidateQueries(trpc.marketDj.pathFilter());
      },
      onError: form.failed,
    }),
  );
  const server = fieldErrorsOf(save.error);
  // The service names the cents field for its own rule; it sits beside "From ($)" here.
  const errors = form.errors({ ...server, priceMinDollars: server.priceMinDollars ?? server.priceMinCents });
  async function submit(e: FormEvent) {
    e.preventDefault();
    const lo = wholeNumber(form.values.min);
    const hi = wholeNumber(form.values.max);
    const input = { priceMinDollars: lo.value ?? Number.NaN, priceMaxDollars: hi.value ?? Number.NaN };
    const { priceRangeErrors } = await import("@leadflow/api/forms");
    const typed: FieldErrors = {
      priceMinDollars: lo.error ? [lo.error] : undefined,
      priceMaxDollars: hi.error ? [hi.error] : undefined,
    };
    if (!form.check(mergeErrors(priceRangeErrors(input), typed))) {
      save.reset();
      return;
    }
    save.mutate(input);
  }
  const fieldProblem = !!(errors.priceMinDollars?.length || errors.priceMaxDollars?.length);
  const problem = fieldProblem ? "Your prices need attention." : save.error ? messageOf(save.error) : null;
  return (
    <form
      ref={form.formRef}
      onSubmit={(e) => void submit(e)}
      noValidate
      className="card settings"
      aria-label="Your price range"
    >
      {form.leaveWarning}
      <Field
        label="From ($)"
        inputMode="numeric"
        value={form.values.min}
        onChange={(e) => form.set({ min: e.target.value })}
        errors={errors.priceMinDollars}
      />
      <Field
        label="Up to ($)"
        inputMode="numeric"
        value={form.values.max}
        onChange={(e) => form.set({ max: e.target.value })}
        errors={errors.priceMaxDollars}
      />
      {problem ? (
        <p className="error" role="alert" data-form-problem={fieldProblem ? undefined : true} tabIndex={-1}>
          {problem}
        </p>
      ) : null}
      {save.isSuccess && !form.dirty ? (
        <p className="ok" role="status">
          Prices saved.
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={save.isPending}>
        Save prices
      </button>
    </form>
  );
}
