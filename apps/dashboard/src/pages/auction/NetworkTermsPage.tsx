// A network buyer's own terms (issue #16 §1): ping and post URLs, timeout, minimum bid, caps, hours,
// zips, compliance needs and response mapping; its request template (the admin's editor, bound to
// the buyer's own mutation); and a test ping or post showing the exact request, the raw answer and
// what LeadFlow understood. Terms the admin locked are shown read-only (the server refuses them too).
import { COMPLIANCE_REQUIREMENTS, type SelfServiceField } from "@leadflow/engine";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { useFocusFirstError } from "../../components/form";
import { COMPLIANCE_TEXT, SELF_SERVICE_FIELD_TEXT, TEST_OUTCOME_TEXT } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC, type RouterOutputs } from "../../trpc";
import { BuyerTemplateEditor } from "./BuyerTemplateEditor";
import { money } from "./format";
import { dollars, formFromBuyer, inputFromForm, type BuyerView, type SettingsForm } from "./settings-form";
import { HoursFields, ZipsFields } from "./ZipsAndHours";

type TestResult = RouterOutputs["buyers"]["sendTest"];

const LOCKED_HINT = "Locked by LeadFlow: ask your account manager to change it.";

interface TermsForm extends SettingsForm {
  pingUrl: string;
  postUrl: string;
  pingTimeoutMs: string;
  minBid: string;
  compliance: string[];
  bidPath: string;
  acceptedPath: string;
  reasonPath: string;
  bidUnit: "" | "dollars" | "cents";
}

function termsFormOf(b: BuyerView): TermsForm {
  return {
    ...formFromBuyer(b),
    pingUrl: b.pingUrl ?? "",
    postUrl: b.postUrl ?? "",
    pingTimeoutMs: String(b.pingTimeoutMs),
    minBid: dollars(b.minBidCents),
    compliance: [...b.compliance],
    bidPath: b.responseMapping?.bidPath ?? "",
    acceptedPath: b.responseMapping?.acceptedPath ?? "",
    reasonPath: b.responseMapping?.reasonPath ?? "",
    bidUnit: b.responseMapping?.bidUnit ?? "",
  };
}

export function NetworkTermsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.buyers.list.queryOptions());
  const networks = (list.data ?? []).filter((b) => b.type === "NETWORK");
  const [chosen, setChosen] = useState<string | null>(null);
  const current = networks.find((b) => b.id === chosen) ?? networks[0];
  return (
    <section aria-labelledby="terms-title">
      <h1 id="terms-title">Your terms</h1>
      {list.isError ? (
        <p className="error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : null}
      {list.isPending ? <p role="status">Loading…</p> : null}
      {list.data && networks.length === 0 ? <p>No buyer is set up for your organisation yet.</p> : null}
      {networks.length > 1 ? (
        <div className="field">
          <label htmlFor="terms-buyer">Buyer</label>
          <select id="terms-buyer" value={current?.id} onChange={(e) => setChosen(e.target.value)}>
            {networks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {current ? (
        <>
          <TermsEditor key={`terms-${current.id}`} buyer={current} />
          {current.lockedFields.includes("requestTemplate") ? (
            <section aria-labelledby="tpl-locked">
              <h2 id="tpl-locked">Request template</h2>
              <p className="hint">{LOCKED_HINT}</p>
            </section>
          ) : (
            <OwnTemplateEditor buyer={current} />
          )}
          <TestRequests buyerId={current.id} />
        </>
      ) : null}
    </section>
  );
}

function OwnTemplateEditor({ buyer }: { buyer: BuyerView }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const m = useMutation(
    trpc.buyers.setMyRequestTemplate.mutationOptions({
      onSuccess: () => qc.invalidateQueries(trpc.buyers.pathFilter()),
    }),
  );
  return (
    <BuyerTemplateEditor
      key={`template-${buyer.id}`}
      buyerId={buyer.id}
      buyerName={buyer.name}
      template={buyer.requestTemplate}
      hasAuthSecret={buyer.hasRequestAuthSecret}
      save={(input) => m.mutateAsync(input)}
    />
  );
}

function TermsEditor({ buyer }: { buyer: BuyerView }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form, setForm] = useState<TermsForm>(() => termsFormOf(buyer));
  const [local, setLocal] = useState<Record<string, string[]>>({});
  const [attempt, setAttempt] = useState(0);
  const [saved, setSaved] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  useFocusFirstError(ref, attempt);
  const save = useMutation(
    trpc.buyers.updateMyTerms.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await qc.invalidateQueries(trpc.buyers.pathFilter());
      },
    }),
  );
  const set = (p: Partial<TermsForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...p }));
  };
  const locked = (f: SelfServiceField) => buyer.lockedFields.includes(f);
  const server = fieldErrorsOf(save.error);
  const errs = (k: string) => local[k] ?? server[k];
  const hint = (f: SelfServiceField, h?: string) => (locked(f) ? LOCKED_HINT : h);

  function submit(e: FormEvent) {
    e.preventDefault();
    const { input, errors } = inputFromForm(buyer.id, form);
    const min = form.minBid.trim().replace(/^\$/, "");
    if (!/^\d+(\.\d{1,2})?$/.test(min)) errors.minBidCents = ["Enter an amount in dollars, like 12 or 12.50."];
    const timeout = form.pingTimeoutMs.trim();
    if (!/^\d+$/.test(timeout)) errors.pingTimeoutMs = ["Enter a whole number of milliseconds."];
    setLocal(errors);
    setAttempt((a) => a + 1);
    if (Object.keys(errors).length) return;
    const mapping = {
      ...(form.bidPath.trim() ? { bidPath: form.bidPath.trim() } : {}),
      ...(form.acceptedPath.trim() ? { acceptedPath: form.acceptedPath.trim() } : {}),
      ...(form.reasonPath.trim() ? { reasonPath: form.reasonPath.trim() } : {}),
      ...(form.bidUnit ? { bidUnit: form.bidUnit } : {}),
    };
    save.mutate({
      id: buyer.id,
      terms: {
        pingUrl: form.pingUrl.trim(),
        postUrl: form.postUrl.trim(),
        pingTimeoutMs: Number(timeout),
        minBidCents: Math.round(Number(min) * 100),
        capDaily: input.capDaily ?? null,
        capWeekly: input.capWeekly ?? null,
        capMonthly: input.capMonthly ?? null,
        timeZone: input.timeZone,
        hours: input.hours ?? null,
        serviceZips: input.serviceZips,
        compliance: form.compliance as (typeof COMPLIANCE_REQUIREMENTS)[number][],
        responseMapping: Object.keys(mapping).length ? mapping : null,
      },
    });
  }

  return (
    <form ref={ref} onSubmit={submit} noValidate aria-labelledby="terms-form-title" className="stack">
      <h2 id="terms-form-title">Terms for {buyer.name}</h2>
      {buyer.lockedFields.length ? (
        <p className="hint">
          LeadFlow has locked:{" "}
          {buyer.lockedFields.map((f) => SELF_SERVICE_FIELD_TEXT[f as SelfServiceField] ?? f).join(", ")}.
        </p>
      ) : null}
      <Field
        label="Ping URL"
        type="url"
        value={form.pingUrl}
        onChange={(e) => set({ pingUrl: e.target.value })}
        readOnly={locked("pingUrl")}
        hint={hint("pingUrl", "Where LeadFlow asks for your bid, without the person's contact details.")}
        errors={errs("pingUrl")}
      />
      <Field
        label="Post URL"
        type="url"
        value={form.postUrl}
        onChange={(e) => set({ postUrl: e.target.value })}
        readOnly={locked("postUrl")}
        hint={hint("postUrl", "Where LeadFlow sends the whole lead when you win it.")}
        errors={errs("postUrl")}
      />
      <Field
        label="Ping timeout (ms)"
        inputMode="numeric"
        value={form.pingTimeoutMs}
        onChange={(e) => set({ pingTimeoutMs: e.target.value })}
        readOnly={locked("pingTimeoutMs")}
        hint={hint("pingTimeoutMs", "50 to 10000. A bid that comes later is not counted.")}
        errors={errs("pingTimeoutMs")}
      />
      <Field
        label="Minimum bid ($)"
        inputMode="decimal"
        value={form.minBid}
        onChange={(e) => set({ minBid: e.target.value })}
        readOnly={locked("minBidCents")}
        hint={hint("minBidCents", `Now ${money(buyer.minBidCents)}. Lower bids are not counted.`)}
        errors={errs("minBidCents")}
      />
      <fieldset className="choices">
        <legend>Leads a month, week and day (empty: no cap)</legend>
        {(["capDaily", "capWeekly", "capMonthly"] as const).map((k) => (
          <Field
            key={k}
            label={SELF_SERVICE_FIELD_TEXT[k]}
            inputMode="numeric"
            value={form[k]}
            onChange={(e) => set({ [k]: e.target.value })}
            readOnly={locked(k)}
            hint={hint(k)}
            errors={errs(k)}
          />
        ))}
      </fieldset>
      <Field
        label="Time zone"
        value={form.timeZone}
        onChange={(e) => set({ timeZone: e.target.value })}
        readOnly={locked("timeZone")}
        hint={hint("timeZone", "Your caps and hours count in it, e.g. America/Chicago.")}
        errors={errs("timeZone")}
      />
      {locked("hours") ? (
        <p className="hint">Hours: {LOCKED_HINT}</p>
      ) : (
        <HoursFields form={form} set={set} errors={{ ...server, ...local }} />
      )}
      {locked("serviceZips") ? (
        <p className="hint">Zip codes: {LOCKED_HINT}</p>
      ) : (
        <ZipsFields zips={form.zips} onChange={(zips) => set({ zips })} errors={{ ...server, ...local }} />
      )}
      <fieldset className="choices">
        <legend>Compliance you need with each lead</legend>
        {locked("compliance") ? <p className="hint">{LOCKED_HINT}</p> : null}
        {COMPLIANCE_REQUIREMENTS.map((c) => (
          <label key={c} className="choice">
            <input
              type="checkbox"
              checked={form.compliance.includes(c)}
              disabled={locked("compliance")}
              onChange={(e) =>
                set({ compliance: e.target.checked ? [...form.compliance, c] : form.compliance.filter((x) => x !== c) })
              }
            />{" "}
            {COMPLIANCE_TEXT[c]}
          </label>
        ))}
      </fieldset>
      <fieldset className="choices">
        <legend>How LeadFlow reads your answers</legend>
        <p className="hint">
          {locked("responseMapping")
            ? LOCKED_HINT
            : "Where in your JSON answer the bid, the yes and the reason are (dots for nesting); empty: bid, accepted, reason."}
        </p>
        <Field
          label="Bid at"
          value={form.bidPath}
          onChange={(e) => set({ bidPath: e.target.value })}
          readOnly={locked("responseMapping")}
        />
        <Field
          label="Accepted at"
          value={form.acceptedPath}
          onChange={(e) => set({ acceptedPath: e.target.value })}
          readOnly={locked("responseMapping")}
        />
        <Field
          label="Reason at"
          value={form.reasonPath}
          onChange={(e) => set({ reasonPath: e.target.value })}
          readOnly={locked("responseMapping")}
        />
        <div className="field">
          <label htmlFor="bid-unit">The bid is in</label>
          <select
            id="bid-unit"
            value={form.bidUnit}
            disabled={locked("responseMapping")}
            onChange={(e) => set({ bidUnit: e.target.value as TermsForm["bidUnit"] })}
          >
            <option value="">Dollars (default)</option>
            <option value="dollars">Dollars</option>
            <option value="cents">Cents</option>
          </select>
        </div>
      </fieldset>
      {save.error ? (
        <p className="error" role="alert">
          {messageOf(save.error)}
        </p>
      ) : null}
      <p role="status" aria-live="polite">
        {saved ? "Your terms are saved." : ""}
      </p>
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save terms"}
      </button>
    </form>
  );
}

function Headers({ h }: { h: Record<string, string> }) {
  return (
    <dl className="test-headers">
      {Object.entries(h).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function TestRequests({ buyerId }: { buyerId: string }) {
  const trpc = useTRPC();
  const [result, setResult] = useState<{ kind: "ping" | "post"; r: TestResult } | null>(null);
  const send = useMutation(trpc.buyers.sendTest.mutationOptions());
  const run = (kind: "ping" | "post") =>
    send.mutate({ id: buyerId, kind }, { onSuccess: (r) => setResult({ kind, r }), onError: () => setResult(null) });
  const r = result?.r;
  return (
    <section aria-labelledby="test-title">
      <h2 id="test-title">Try it</h2>
      <p className="hint">
        Sends a sample lead to your URL exactly as an auction would, with your template and authentication. Up to 6 a
        minute.
      </p>
      <div className="button-row">
        <button type="button" onClick={() => run("ping")} disabled={send.isPending}>
          Send a test ping
        </button>
        <button type="button" onClick={() => run("post")} disabled={send.isPending}>
          Send a test post
        </button>
      </div>
      {send.isError ? (
        <p className="error" role="alert">
          {messageOf(send.error)}
        </p>
      ) : null}
      {r ? (
        <div className="test-result" data-testid="test-result">
          <h3>What LeadFlow understood</h3>
          <p role="status" data-testid="test-understood">
            <strong>{TEST_OUTCOME_TEXT[r.understood.outcome]}</strong>
            {r.understood.bidCents != null ? `: ${money(r.understood.bidCents)}` : ""}
            {r.understood.reason ? ` (${r.understood.reason})` : ""}
          </p>
          <h3>What LeadFlow sent ({result.kind})</h3>
          <p>
            {r.sent.method} <span className="break">{r.sent.url}</span>
          </p>
          <Headers h={r.sent.headers} />
          <pre className="test-body" tabIndex={0} aria-label="Request body">
            {r.sent.body}
          </pre>
          <h3>Your answer</h3>
          {r.answer ? (
            <>
              <p data-testid="test-status">
                HTTP {r.answer.status} in {r.answer.ms} ms
              </p>
              <Headers h={r.answer.headers} />
              <pre className="test-body" tabIndex={0} aria-label="Answer body">
                {r.answer.body || "(empty)"}
              </pre>
            </>
          ) : (
            <p>No answer.</p>
          )}
        </div>
      ) : null}
    </section>
  );
}
