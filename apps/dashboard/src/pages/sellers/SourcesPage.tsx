// The admin's Sources page: each lead seller's terms. How long a ping's bids are held, the return
// window within which a return takes back the seller's payout, the time zone its portal counts
// days and months in, and the payout rules (all verticals, or one vertical, which wins). Stacked cards rather than a wide table, so it reads at 390 px.
// Its forms are on the shared hooks (components/form.tsx, issue 18): the browser's checks (the
// server's rules, in its words) and the server's refusals show together beside their fields on the
// first save, focus (and a phone's scroll) goes to the first; the page asks once before leaving
// with any card's changes unsaved.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Field, SelectField } from "../../components/Field";
import {
  freshErrors,
  hasErrors,
  useFormState,
  useUnsavedChanges,
  wholeNumber,
  type FieldErrors,
} from "../../components/form";
import { fieldErrorsOf, messageOf as messageOfError, useTRPC } from "../../trpc";
import { describeRule, PAYOUT_RULE_KINDS, PAYOUT_RULE_LABELS, type PayoutRuleKind, type Source } from "./labels";
import { TimeZoneField, timeZoneProblem } from "./TimeZoneField";

const messageOf = (err: unknown) => messageOfError(err) ?? "Could not save; try again.";

/** Each form's "unsaved changes" by a key of its own, gathered for the page's one leave warning. */
type OnDirty = (key: string, dirty: boolean) => void;

export function SourcesPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.sources.list.queryOptions());
  const verticals = useQuery(trpc.buyers.verticals.queryOptions());
  const [dirtyForms, setDirtyForms] = useState<ReadonlySet<string>>(new Set());
  const onDirty = useCallback<OnDirty>(
    (key, dirty) =>
      setDirtyForms((prev) => {
        if (prev.has(key) === dirty) return prev;
        const next = new Set(prev);
        if (dirty) next.add(key);
        else next.delete(key);
        return next;
      }),
    [],
  );
  const leaveWarning = useUnsavedChanges(dirtyForms.size > 0);
  return (
    <section>
      <h1>Sources</h1>
      <p>
        What each lead seller is paid for a sold lead, and the terms of its pings. A vertical's own rule wins over the
        seller's rule for all verticals; a seller without a rule earns nothing. A ping whose best bid would leave
        LeadFlow less than the minimum margin is answered “not accepted”.
      </p>
      {leaveWarning}
      {list.isPending ? <p>Loading…</p> : null}
      {list.isError ? (
        <p className="error" role="alert">
          The sources could not be loaded. Reload the page.
        </p>
      ) : null}
      {list.data?.length === 0 ? <p>No lead seller yet.</p> : null}
      {list.data?.map((s) => (
        <SourceCard key={s.orgId} source={s} verticals={(verticals.data ?? []).map((v) => v.key)} onDirty={onDirty} />
      ))}
    </section>
  );
}

function SourceCard({ source, verticals, onDirty }: { source: Source; verticals: string[]; onDirty: OnDirty }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries(trpc.sources.pathFilter());
  const remove = useMutation(trpc.sources.removeRule.mutationOptions({ onSuccess: refresh }));
  const id = useId();
  return (
    <article className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{source.name}</h2>
      <SettingsForm source={source} onSaved={refresh} onDirty={onDirty} />
      <h3>Payout rules</h3>
      {source.rules.length === 0 ? <p>No rule: this seller earns nothing for its leads.</p> : null}
      <ul>
        {source.rules.map((r) => (
          <li key={r.vertical ?? "*"}>
            <strong>{r.vertical ?? "All verticals"}</strong>: {describeRule(r)}{" "}
            <button
              type="button"
              onClick={() => remove.mutate({ sellerOrgId: source.orgId, vertical: r.vertical })}
              aria-label={`Remove the rule for ${r.vertical ?? "all verticals"} of ${source.name}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {remove.isError ? (
        <p className="error" role="alert">
          {messageOf(remove.error)}
        </p>
      ) : null}
      <RuleForm source={source} verticals={verticals} onSaved={refresh} onDirty={onDirty} />
    </article>
  );
}

/** Reports a form's unsaved changes to the page under `key`, and none once the form is gone. */
function useReportDirty(onDirty: OnDirty, key: string, dirty: boolean) {
  useEffect(() => onDirty(key, dirty), [onDirty, key, dirty]);
  useEffect(() => () => onDirty(key, false), [onDirty, key]);
}

/** A whole number within [min, max], in the server's words; undefined when it is fine. */
function wholeIn(text: string, min: number, max: number, below: string, above: string): string[] | undefined {
  const n = wholeNumber(text);
  if (n.error !== undefined) return [n.error];
  if (n.value < min) return [below];
  if (n.value > max) return [above];
  return undefined;
}

interface SettingsValues {
  ttl: string;
  returnDays: string;
  timeZone: string;
}

const settingsFieldOf = (k: string): keyof SettingsValues | null =>
  k === "pingTtlSeconds" ? "ttl" : k === "returnWindowDays" ? "returnDays" : k === "timeZone" ? "timeZone" : null;

function SettingsForm({ source, onSaved, onDirty }: { source: Source; onSaved: () => void; onDirty: OnDirty }) {
  const trpc = useTRPC();
  const f = useFormState<SettingsValues>({
    ttl: String(source.pingTtlSeconds),
    returnDays: String(source.returnWindowDays),
    timeZone: source.timeZone,
  });
  useReportDirty(onDirty, `settings-${source.orgId}`, f.dirty);
  const sent = useRef<SettingsValues | null>(null);
  const save = useMutation(
    trpc.sources.setSettings.mutationOptions({
      onSuccess: () => {
        if (sent.current) f.saved(sent.current);
        onSaved();
      },
      onError: f.failed,
    }),
  );
  const server = fieldErrorsOf(save.error);
  const errors = f.errors(freshErrors(server, sent.current, f.values, settingsFieldOf));
  const problem = hasErrors(errors) ? "Some terms need attention." : hasErrors(server) ? null : messageOf(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = f.values;
    const local: FieldErrors = {
      pingTtlSeconds: wholeIn(
        v.ttl,
        1,
        3600,
        "Hold bids at least 1 second.",
        "Hold bids at most an hour (3600 seconds).",
      ),
      returnWindowDays: wholeIn(
        v.returnDays,
        0,
        365,
        "The return window can't be negative (0: no returns take back the payout).",
        "The return window can be at most 365 days.",
      ),
      timeZone: timeZoneProblem(v.timeZone),
    };
    if (!f.check(local)) return;
    sent.current = v;
    save.mutate({
      sellerOrgId: source.orgId,
      pingTtlSeconds: Number(v.ttl.trim()),
      returnWindowDays: Number(v.returnDays.trim()),
      timeZone: v.timeZone.trim(),
    });
  };
  return (
    <form ref={f.formRef} onSubmit={submit} noValidate aria-label={`Ping and return terms of ${source.name}`}>
      <Field
        label="Hold a ping's bids for (seconds)"
        type="number"
        min={1}
        max={3600}
        inputMode="numeric"
        value={f.values.ttl}
        onChange={(e) => f.set({ ttl: e.target.value })}
        errors={errors.pingTtlSeconds}
        hint="A post must come within this time of its ping."
      />
      <Field
        label="Return window (days)"
        type="number"
        min={0}
        max={365}
        inputMode="numeric"
        value={f.values.returnDays}
        onChange={(e) => f.set({ returnDays: e.target.value })}
        errors={errors.returnWindowDays}
        hint="A return approved within this many days of the sale takes back the seller's payout."
      />
      <TimeZoneField
        value={f.values.timeZone}
        onChange={(timeZone) => f.set({ timeZone })}
        errors={errors.timeZone}
        hint="The seller's portal counts its days and months in it (the seller may change it too), e.g. America/Chicago."
      />
      <button type="submit" disabled={save.isPending}>
        Save terms
      </button>
      {save.isSuccess && !f.dirty ? <p role="status">Saved.</p> : null}
      {problem ? (
        <p className="error" role="alert" data-form-problem tabIndex={-1}>
          {problem}
        </p>
      ) : null}
    </form>
  );
}

interface RuleValues {
  vertical: string;
  kind: PayoutRuleKind;
  amount: string;
  minMargin: string;
}

const RULE_START: RuleValues = { vertical: "", kind: "FIXED_PER_LEAD", amount: "", minMargin: "0" };
const AMOUNT_FIELD = {
  FIXED_PER_LEAD: "fixedCents",
  REVENUE_SHARE: "shareBp",
  BID_MINUS_MARGIN: "marginCents",
} as const;

const ruleFieldOf = (k: string): keyof RuleValues | null =>
  k === "vertical" || k === "kind"
    ? k
    : k === "minMarginCents"
      ? "minMargin"
      : k === "fixedCents" || k === "shareBp" || k === "marginCents"
        ? "amount"
        : null;

/** Dollars (or a percentage) as typed → hundredths; an error in words when it is not one. */
function hundredths(text: string, what: string, max: number): { value: number } | { error: string } {
  const t = text.trim().replace(/^\$/, "").replace(/%$/, "").replace(/,/g, "");
  if (t === "") return { error: `Enter ${what}.` };
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return { error: `Enter ${what} as a number, like 12 or 12.50.` };
  const value = Math.round(Number(t) * 100);
  if (value > max) return { error: `At most ${(max / 100).toLocaleString("en-US")}.` };
  return { value };
}

function RuleForm({
  source,
  verticals,
  onSaved,
  onDirty,
}: {
  source: Source;
  verticals: string[];
  onSaved: () => void;
  onDirty: OnDirty;
}) {
  const trpc = useTRPC();
  const f = useFormState<RuleValues>(RULE_START);
  useReportDirty(onDirty, `rule-${source.orgId}`, f.dirty);
  const sent = useRef<RuleValues | null>(null);
  const save = useMutation(
    trpc.sources.setRule.mutationOptions({
      onSuccess: () => {
        if (sent.current) f.saved(sent.current);
        onSaved();
      },
      onError: f.failed,
    }),
  );
  const { vertical, kind, amount, minMargin } = f.values;
  const server = fieldErrorsOf(save.error);
  const errors = f.errors(freshErrors(server, sent.current, f.values, ruleFieldOf));
  const problem = hasErrors(errors) ? "The rule needs attention." : hasErrors(server) ? null : messageOf(save.error);
  const amountField = AMOUNT_FIELD[kind];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const isShare = kind === "REVENUE_SHARE";
    const a = hundredths(
      amount,
      isShare ? "the share in percent" : kind === "FIXED_PER_LEAD" ? "the amount per lead" : "the margin",
      isShare ? 10_000 : 10_000_000,
    );
    const m = hundredths(minMargin || "0", "the minimum margin", 10_000_000);
    const local: FieldErrors = {
      [amountField]: "error" in a ? [a.error] : undefined,
      minMarginCents: "error" in m ? [m.error] : undefined,
    };
    if (!f.check(local) || "error" in a || "error" in m) return;
    sent.current = f.values;
    const base = { sellerOrgId: source.orgId, vertical: vertical || null, kind, minMarginCents: m.value };
    if (kind === "FIXED_PER_LEAD") save.mutate({ ...base, fixedCents: a.value });
    else if (kind === "REVENUE_SHARE") save.mutate({ ...base, shareBp: a.value });
    else save.mutate({ ...base, marginCents: a.value });
  };
  const amountLabel =
    kind === "FIXED_PER_LEAD"
      ? "Amount per lead ($)"
      : kind === "REVENUE_SHARE"
        ? "Share of the sale (%)"
        : "LeadFlow's margin ($)";
  return (
    <form ref={f.formRef} onSubmit={submit} noValidate aria-label={`Set a payout rule for ${source.name}`}>
      <SelectField
        label="Vertical"
        value={vertical}
        onChange={(e) => f.set({ vertical: e.target.value })}
        errors={errors.vertical}
      >
        <option value="">All verticals</option>
        {verticals.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Rule"
        value={kind}
        onChange={(e) => f.set({ kind: e.target.value as PayoutRuleKind })}
        errors={errors.kind}
      >
        {PAYOUT_RULE_KINDS.map((k) => (
          <option key={k} value={k}>
            {PAYOUT_RULE_LABELS[k]}
          </option>
        ))}
      </SelectField>
      <Field
        label={amountLabel}
        type="number"
        min={0}
        step="0.01"
        inputMode="decimal"
        required
        value={amount}
        onChange={(e) => f.set({ amount: e.target.value })}
        errors={errors[amountField]}
      />
      <Field
        label="Minimum margin LeadFlow keeps ($)"
        type="number"
        min={0}
        step="0.01"
        inputMode="decimal"
        value={minMargin}
        onChange={(e) => f.set({ minMargin: e.target.value })}
        errors={errors.minMarginCents}
      />
      <button type="submit" disabled={save.isPending}>
        Set rule
      </button>
      {save.isSuccess && !f.dirty ? <p role="status">Rule saved.</p> : null}
      {problem ? (
        <p className="error" role="alert" data-form-problem tabIndex={-1}>
          {problem}
        </p>
      ) : null}
    </form>
  );
}
