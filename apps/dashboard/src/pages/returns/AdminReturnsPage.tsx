// The admin's returns: the queue of requests past a buyer's allowance (approve or deny with a
// note), every return, the rates by buyer and by source, and the return settings.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { mergeErrors, useFormState, useUnsavedChanges, wholeNumber, type FieldErrors } from "../../components/form";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { money, when } from "../auction/format";
import { labelOf, RETURN_REASON_TEXT } from "../../labels";
import { percent } from "./format";
import { RatesTables } from "./RatesTables";
import { ReturnsList } from "./ReturnsList";

export function AdminReturnsPage() {
  const trpc = useTRPC();
  const queue = useQuery(trpc.returns.list.queryOptions({ status: "PENDING", limit: 100 }));
  return (
    <section>
      <h1>Returns</h1>
      <h2>Waiting for a decision</h2>
      {queue.isPending ? <p>Loading…</p> : null}
      {queue.isError ? (
        <p className="error" role="alert">
          {messageOf(queue.error)}
        </p>
      ) : null}
      {queue.data?.length === 0 ? (
        <p>Nothing waiting: every request so far was decided by the rules or by an admin.</p>
      ) : null}
      <ul className="cards">
        {queue.data?.map((r) => (
          <li key={r.id} className="card" data-testid="queue-item">
            <h3>
              <Link to={`/leads/${r.leadId}`}>
                {r.vertical} · {r.zip}
              </Link>{" "}
              returned by {r.buyer}
            </h3>
            <p>
              {labelOf(RETURN_REASON_TEXT, r.reason)}
              {r.comment ? ` — “${r.comment}”` : ""} · paid {money(r.priceCents)} · asked {when(r.createdAt)} via{" "}
              {r.via} · source {r.source}
            </p>
            <p className="hint">{r.ruleDetail}</p>
            <DecisionForm id={r.id} />
          </li>
        ))}
      </ul>
      <h2>All returns</h2>
      <ReturnsList caption="All return requests" showSource />
      <h2>Return rates</h2>
      <RatesTables />
      <ReturnSettings />
    </section>
  );
}

function DecisionForm({ id }: { id: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const fid = useId();
  const [note, setNote] = useState("");
  const decide = useMutation(
    trpc.returns.decide.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.returns.pathFilter()) }),
  );
  const errors = fieldErrorsOf(decide.error);
  const send = (decision: "APPROVED" | "DENIED") => (e: FormEvent) => {
    e.preventDefault();
    decide.mutate({ id, decision, note: note.trim() });
  };
  return (
    <form onSubmit={send("APPROVED")} aria-label="Decide this return">
      <div className="field">
        <label htmlFor={`${fid}-note`}>Note to the buyer</label>
        <textarea
          id={`${fid}-note`}
          rows={2}
          maxLength={1000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-invalid={errors.note ? true : undefined}
        />
        {errors.note ? (
          <p className="error" role="alert">
            {errors.note.join(" ")}
          </p>
        ) : null}
      </div>
      {decide.error && !errors.note ? (
        <p className="error" role="alert">
          {messageOf(decide.error)}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={decide.isPending}>
          Approve and credit
        </button>
        <button type="button" onClick={send("DENIED")} disabled={decide.isPending}>
          Deny
        </button>
      </div>
    </form>
  );
}

function ReturnSettings() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const settings = useQuery(trpc.returns.settings.queryOptions());
  const refresh = () => qc.invalidateQueries(trpc.returns.pathFilter());
  const rank = useMutation(trpc.returns.setVerticalRanking.mutationOptions({ onSuccess: refresh }));
  // Rows with unsaved terms; one warning for all of them before leaving the page.
  const [dirtyRows, setDirtyRows] = useState<ReadonlySet<string>>(new Set());
  const onDirty = useCallback(
    (buyerId: string, dirty: boolean) =>
      setDirtyRows((s) => {
        if (s.has(buyerId) === dirty) return s;
        const next = new Set(s);
        if (dirty) next.add(buyerId);
        else next.delete(buyerId);
        return next;
      }),
    [],
  );
  const leaveWarning = useUnsavedChanges(dirtyRows.size > 0);
  if (settings.isPending) return <p>Loading…</p>;
  if (settings.isError)
    return (
      <p className="error" role="alert">
        {messageOf(settings.error)}
      </p>
    );
  return (
    <>
      <h2 id="return-settings">Return settings</h2>
      {leaveWarning}
      <h3>Rank network bids net of returns</h3>
      <p className="hint">
        Off by default. When on for a vertical, a network's bid is ranked by what it is worth after that network's
        returns: bid × (1 − its return rate over the last 90 days). A network bidding $30 that returns 25% of its leads
        ranks as $22.50, below one bidding $25 that returns 4% ($24.00). The winner still pays its own bid, floors still
        apply to the bid itself, and contractors rank as before. Rates are refreshed after every approved return and
        every hour.
      </p>
      {rank.error ? (
        <p className="error" role="alert">
          {messageOf(rank.error)}
        </p>
      ) : null}
      <fieldset className="choices">
        <legend>Verticals</legend>
        {settings.data.verticals.map((v) => (
          <label key={v.key} className="choice">
            <input
              type="checkbox"
              checked={v.rankNetOfReturns}
              disabled={rank.isPending}
              onChange={(e) => rank.mutate({ key: v.key, on: e.target.checked })}
            />
            <span>{v.name}: rank net of returns</span>
          </label>
        ))}
      </fieldset>
      <h3>Return terms per buyer</h3>
      <p className="hint">
        The window is how many days after the sale a lead may be returned (0: none). The allowance is the share of a
        month's leads returned without an admin.
      </p>
      <DataTable
        caption="Return terms per buyer"
        rows={settings.data.buyers}
        rowKey={(b) => b.id}
        empty="No buyers yet."
        columns={[
          {
            key: "buyer",
            header: "Buyer",
            rowHeader: true,
            cell: (b) => (
              <>
                {b.name}
                <span className="hint">
                  {" "}
                  · {b.org} · {b.type.toLowerCase()}
                </span>
              </>
            ),
          },
          { key: "rate", header: "Return rate", numeric: true, cell: (b) => percent(b.returnRateBp) },
          {
            key: "terms",
            header: "Window and allowance",
            cell: (b) => (
              <TermsForm
                buyerId={b.id}
                name={b.name}
                windowDays={b.returnWindowDays}
                capPercent={b.returnCapPercent}
                onDirty={onDirty}
              />
            ),
          },
        ]}
      />
    </>
  );
}

function TermsForm({
  buyerId,
  name,
  windowDays,
  capPercent,
  onDirty,
}: {
  buyerId: string;
  name: string;
  windowDays: number;
  capPercent: number;
  /** Told whether this row has unsaved changes; the page warns before leaving (one warning for all rows). */
  onDirty: (buyerId: string, dirty: boolean) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const form = useFormState({ w: String(windowDays), c: String(capPercent) });
  const save = useMutation(
    trpc.returns.setBuyerTerms.mutationOptions({
      onSuccess: async (r) => {
        form.saved({ w: String(r.returnWindowDays), c: String(r.returnCapPercent) });
        await qc.invalidateQueries(trpc.returns.pathFilter());
      },
      onError: form.failed,
    }),
  );
  useEffect(() => onDirty(buyerId, form.dirty), [onDirty, buyerId, form.dirty]);
  const errors = form.errors(fieldErrorsOf(save.error));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const w = wholeNumber(form.values.w);
    const c = wholeNumber(form.values.c);
    const input = { buyerId, returnWindowDays: w.value ?? Number.NaN, returnCapPercent: c.value ?? Number.NaN };
    const { returnTermsErrors } = await import("@leadflow/api/forms");
    const typed: FieldErrors = {
      returnWindowDays: w.error ? [w.error] : undefined,
      returnCapPercent: c.error ? [c.error] : undefined,
    };
    if (!form.check(mergeErrors(returnTermsErrors(input), typed))) {
      save.reset();
      return;
    }
    save.mutate(input);
  };
  return (
    <form
      ref={form.formRef}
      className="row-actions terms-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={`Return terms for ${name}`}
    >
      <Field
        label="Days"
        inputMode="numeric"
        size={3}
        value={form.values.w}
        onChange={(e) => form.set({ w: e.target.value })}
        errors={errors.returnWindowDays}
      />
      <Field
        label="Allowance %"
        inputMode="numeric"
        size={3}
        value={form.values.c}
        onChange={(e) => form.set({ c: e.target.value })}
        errors={errors.returnCapPercent}
      />
      <button type="submit" disabled={save.isPending}>
        Save
      </button>
      {save.isSuccess && !form.dirty ? <span role="status">Saved</span> : null}
      {save.error && !errors.returnWindowDays && !errors.returnCapPercent ? (
        <span className="error" role="alert">
          {messageOf(save.error)}
        </span>
      ) : null}
    </form>
  );
}
