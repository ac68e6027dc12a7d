// A network buyer's own terms (issue #16 §1): ping and post URLs, timeout, minimum bid, caps, hours,
// zips, compliance needs and response mapping; its request template (the admin's editor, bound to
// the buyer's own mutation); and a test ping or post showing the exact request, the raw answer and
// what LeadFlow understood. Terms the admin locked are shown read-only (the server refuses them too).
// The form is on the shared hooks (components/form.tsx, issue 18): the server's own schema runs in the
// browser (@leadflow/api/forms, myTermsErrors) so every problem shows beside its field on the first
// save with focus (and a phone's scroll) on the first; what the server alone refuses (a locked term,
// where a URL points) stays beside its field until edited; hours past midnight are sent only with
// their day's "Past midnight" ticked; leaving with unsaved changes asks first.
import { COMPLIANCE_REQUIREMENTS, type SelfServiceField } from "@leadflow/engine";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Field, SelectField } from "../../components/Field";
import { freshErrors, hasErrors, mergeErrors, useEditForm } from "../../components/form";
import { hoursText } from "../../format/time";
import { COMPLIANCE_TEXT, SELF_SERVICE_FIELD_TEXT, TEST_OUTCOME_TEXT } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC, type RouterInputs, type RouterOutputs } from "../../trpc";
import { BuyerTemplateEditor } from "./BuyerTemplateEditor";
import { money } from "./format";
import {
  cents,
  dollars,
  formFromBuyer,
  inputFromForm,
  WEEKDAYS,
  type BuyerView,
  type SettingsForm,
} from "./settings-form";
import { HoursFields, ZipsFields } from "./ZipsAndHours";

type TestResult = RouterOutputs["buyers"]["sendTest"];
type MyTermsInput = RouterInputs["buyers"]["updateMyTerms"]["terms"];

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

/** The form value a server error key is about, so it goes once that value is edited. */
function termsFieldOf(errorKey: string): keyof TermsForm | null {
  const [first = "", second = ""] = errorKey.split(".");
  if (first === "responseMapping") return (second as keyof TermsForm) || "bidPath";
  const named: Record<string, keyof TermsForm> = {
    minBidCents: "minBid",
    serviceZips: "zips",
    overnightDays: "hours",
  };
  return named[first] ?? (first as keyof TermsForm);
}

/** The terms as `buyers.updateMyTerms` takes them, and what the browser already knows is wrong. */
function termsInputOf(buyerId: string, form: TermsForm) {
  const { input, errors } = inputFromForm(buyerId, form);
  // Text that is not a number yet explains itself better than the rule it then breaks.
  const min = cents(form.minBid, "minBidCents", errors);
  if (form.minBid.trim() === "") errors.minBidCents = ["Enter the minimum bid in dollars, like 12 or 12.50 (0: none)."];
  const timeout = form.pingTimeoutMs.trim();
  if (!/^\d+$/.test(timeout))
    errors.pingTimeoutMs = [timeout ? "Enter whole milliseconds, like 1000." : "Enter the ping timeout in ms."];
  const mapping = {
    ...(form.bidPath.trim() ? { bidPath: form.bidPath.trim() } : {}),
    ...(form.acceptedPath.trim() ? { acceptedPath: form.acceptedPath.trim() } : {}),
    ...(form.reasonPath.trim() ? { reasonPath: form.reasonPath.trim() } : {}),
    ...(form.bidUnit ? { bidUnit: form.bidUnit } : {}),
  };
  const terms: MyTermsInput = {
    pingUrl: form.pingUrl.trim(),
    postUrl: form.postUrl.trim(),
    pingTimeoutMs: Number(timeout) || 0,
    minBidCents: min ?? 0,
    capDaily: input.capDaily ?? null,
    capWeekly: input.capWeekly ?? null,
    capMonthly: input.capMonthly ?? null,
    timeZone: input.timeZone,
    hours: input.hours ?? null,
    serviceZips: input.serviceZips,
    compliance: form.compliance as (typeof COMPLIANCE_REQUIREMENTS)[number][],
    responseMapping: Object.keys(mapping).length ? mapping : null,
    // Always sent: the server then refuses hours past midnight whose day is not ticked, as here.
    overnightDays: input.overnightDays ?? [],
  };
  return { terms, errors };
}

/** What a locked term holds, for reading: the hours per day, or the zip codes. */
function LockedHours({ form }: { form: TermsForm }) {
  return (
    <section aria-labelledby="locked-hours" className="locked-term">
      <h3 id="locked-hours">Hours you take leads</h3>
      <p className="hint">{LOCKED_HINT}</p>
      {form.alwaysOpen ? (
        <p>Any time.</p>
      ) : (
        <ul>
          {WEEKDAYS.map(({ key, label }) => (
            <li key={key}>
              {label}:{" "}
              {form.hours[key].open
                ? [[form.hours[key].from, form.hours[key].to] as const, ...(form.extraHours[key] ?? [])]
                    .map(([a, b]) => hoursText(a, b))
                    .join(", ")
                : "closed"}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function LockedZips({ form }: { form: TermsForm }) {
  return (
    <section aria-labelledby="locked-zips" className="locked-term">
      <h3 id="locked-zips">Service zip codes</h3>
      <p className="hint">{LOCKED_HINT}</p>
      <p className="break">{form.zips.length ? form.zips.map((z) => z.zip).join(", ") : "None."}</p>
    </section>
  );
}

function TermsEditor({ buyer }: { buyer: BuyerView }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const f = useEditForm<TermsForm>(termsFormOf(buyer));
  const form = f.values;
  const set = f.set;
  /** The values as last sent: they become the saved state when the server takes them. */
  const sent = useRef<TermsForm | null>(null);
  const save = useMutation(
    trpc.buyers.updateMyTerms.mutationOptions({
      onSuccess: async () => {
        if (sent.current) f.saved(sent.current);
        await qc.invalidateQueries(trpc.buyers.pathFilter());
      },
      onError: f.failed,
    }),
  );
  // The schemas (zod) load with the editor, not with the sign-in page.
  useEffect(() => void loadChecks(), []);
  const locked = (k: SelfServiceField) => buyer.lockedFields.includes(k);
  const server = fieldErrorsOf(save.error);
  const errors = f.errors(freshErrors(server, sent.current, form, termsFieldOf));
  const errs = (k: string) => errors[k];
  const hint = (k: SelfServiceField, h?: string) => (locked(k) ? LOCKED_HINT : h);
  // A refusal on no field (a lost connection, a conflict) is said in words; fixed fields say nothing.
  const problem = hasErrors(errors) ? "Some terms need attention." : hasErrors(server) ? null : messageOf(save.error);
  const savedNow = save.isSuccess && !f.dirty;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { terms, errors: typed } = termsInputOf(buyer.id, form);
    const { myTermsErrors } = await loadChecks();
    const local = mergeErrors(myTermsErrors(terms), typed);
    // Refused here: the server's last answer stays beside the fields it was about.
    if (!f.check(local)) return;
    sent.current = form;
    save.mutate({ id: buyer.id, terms });
  }

  return (
    <form
      ref={f.formRef}
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="terms-form-title"
      className="stack"
    >
      <h2 id="terms-form-title">Terms for {buyer.name}</h2>
      {buyer.lockedFields.length ? (
        <p className="hint">
          LeadFlow has locked:{" "}
          {buyer.lockedFields.map((k) => SELF_SERVICE_FIELD_TEXT[k as SelfServiceField] ?? k).join(", ")}.
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
        <LockedHours form={form} />
      ) : (
        <HoursFields form={form} set={set} errors={errors} confirmOvernight />
      )}
      {locked("serviceZips") ? (
        <LockedZips form={form} />
      ) : (
        <ZipsFields zips={form.zips} onChange={(zips) => set({ zips })} errors={errors} />
      )}
      <fieldset className="choices" data-invalid={errs("compliance") ? true : undefined}>
        <legend>Compliance you need with each lead</legend>
        {locked("compliance") ? <p className="hint">{LOCKED_HINT}</p> : null}
        {errs("compliance") ? (
          <p className="error" role="alert">
            {errs("compliance")?.join(" ")}
          </p>
        ) : null}
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
          errors={errs("responseMapping.bidPath")}
        />
        <Field
          label="Accepted at"
          value={form.acceptedPath}
          onChange={(e) => set({ acceptedPath: e.target.value })}
          readOnly={locked("responseMapping")}
          errors={errs("responseMapping.acceptedPath")}
        />
        <Field
          label="Reason at"
          value={form.reasonPath}
          onChange={(e) => set({ reasonPath: e.target.value })}
          readOnly={locked("responseMapping")}
          errors={errs("responseMapping.reasonPath")}
        />
        <SelectField
          label="The bid is in"
          value={form.bidUnit}
          disabled={locked("responseMapping")}
          onChange={(e) => set({ bidUnit: e.target.value as TermsForm["bidUnit"] })}
          errors={errs("responseMapping.bidUnit")}
        >
          <option value="">Dollars (default)</option>
          <option value="dollars">Dollars</option>
          <option value="cents">Cents</option>
        </SelectField>
      </fieldset>
      {problem ? (
        <p className="error" role="alert" data-form-problem tabIndex={-1}>
          {problem}
        </p>
      ) : null}
      <p role="status" aria-live="polite">
        {savedNow ? "Your terms are saved." : ""}
      </p>
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save terms"}
      </button>
      {f.leaveWarning}
    </form>
  );
}

const loadChecks = () => import("@leadflow/api/forms");

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
