// The admin's Sources page: each lead seller's terms. How long a ping's bids are held, the return
// window within which a return takes back the seller's payout, the time zone its portal counts
// days and months in, and the payout rules (all verticals, or one vertical, which wins). Stacked cards rather than a wide table, so it reads at 390 px.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { fieldErrorsOf, messageOf as messageOfError, useTRPC } from "../../trpc";
import { describeRule, PAYOUT_RULE_KINDS, PAYOUT_RULE_LABELS, type PayoutRuleKind, type Source } from "./labels";
import { TimeZoneField } from "./TimeZoneField";

// zod's field errors and an AppError's both (trpc.ts), so a refused time zone shows beside its field.
const errorsOf = fieldErrorsOf;
const messageOf = (err: unknown) => messageOfError(err) ?? "Could not save; try again.";

export function SourcesPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.sources.list.queryOptions());
  const verticals = useQuery(trpc.buyers.verticals.queryOptions());
  return (
    <section>
      <h1>Sources</h1>
      <p>
        What each lead seller is paid for a sold lead, and the terms of its pings. A vertical's own rule wins over the
        seller's rule for all verticals; a seller without a rule earns nothing. A ping whose best bid would leave
        LeadFlow less than the minimum margin is answered “not accepted”.
      </p>
      {list.isPending ? <p>Loading…</p> : null}
      {list.isError ? (
        <p className="error" role="alert">
          The sources could not be loaded. Reload the page.
        </p>
      ) : null}
      {list.data?.length === 0 ? <p>No lead seller yet.</p> : null}
      {list.data?.map((s) => (
        <SourceCard key={s.orgId} source={s} verticals={(verticals.data ?? []).map((v) => v.key)} />
      ))}
    </section>
  );
}

function SourceCard({ source, verticals }: { source: Source; verticals: string[] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries(trpc.sources.pathFilter());
  const remove = useMutation(trpc.sources.removeRule.mutationOptions({ onSuccess: refresh }));
  const id = useId();
  return (
    <article className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{source.name}</h2>
      <SettingsForm source={source} onSaved={refresh} />
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
      <RuleForm source={source} verticals={verticals} onSaved={refresh} />
    </article>
  );
}

function SettingsForm({ source, onSaved }: { source: Source; onSaved: () => void }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.sources.setSettings.mutationOptions({ onSuccess: onSaved }));
  const [ttl, setTtl] = useState(String(source.pingTtlSeconds));
  const [returnDays, setReturnDays] = useState(String(source.returnWindowDays));
  const [timeZone, setTimeZone] = useState(source.timeZone);
  const errors = errorsOf(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      sellerOrgId: source.orgId,
      pingTtlSeconds: Number(ttl),
      returnWindowDays: Number(returnDays),
      timeZone: timeZone.trim(),
    });
  };
  return (
    <form onSubmit={submit} aria-label={`Ping and return terms of ${source.name}`}>
      <Field
        label="Hold a ping's bids for (seconds)"
        type="number"
        min={1}
        max={3600}
        inputMode="numeric"
        value={ttl}
        onChange={(e) => setTtl(e.target.value)}
        errors={errors.pingTtlSeconds}
        hint="A post must come within this time of its ping."
      />
      <Field
        label="Return window (days)"
        type="number"
        min={0}
        max={365}
        inputMode="numeric"
        value={returnDays}
        onChange={(e) => setReturnDays(e.target.value)}
        errors={errors.returnWindowDays}
        hint="A return approved within this many days of the sale takes back the seller's payout."
      />
      <TimeZoneField
        value={timeZone}
        onChange={setTimeZone}
        errors={errors.timeZone}
        hint="The seller's portal counts its days and months in it (the seller may change it too), e.g. America/Chicago."
      />
      <button type="submit" disabled={save.isPending}>
        Save terms
      </button>
      {save.isSuccess ? <p role="status">Saved.</p> : null}
      {save.isError && Object.keys(errors).length === 0 ? (
        <p className="error" role="alert">
          {messageOf(save.error)}
        </p>
      ) : null}
    </form>
  );
}

function RuleForm({ source, verticals, onSaved }: { source: Source; verticals: string[]; onSaved: () => void }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.sources.setRule.mutationOptions({ onSuccess: onSaved }));
  const id = useId();
  const [vertical, setVertical] = useState("");
  const [kind, setKind] = useState<PayoutRuleKind>("FIXED_PER_LEAD");
  const [amount, setAmount] = useState("");
  const [minMargin, setMinMargin] = useState("0");
  const errors = errorsOf(save.error);
  const cents = (dollars: string) => Math.round(Number(dollars) * 100);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const base = { sellerOrgId: source.orgId, vertical: vertical || null, kind, minMarginCents: cents(minMargin) };
    if (kind === "FIXED_PER_LEAD") save.mutate({ ...base, fixedCents: cents(amount) });
    else if (kind === "REVENUE_SHARE") save.mutate({ ...base, shareBp: Math.round(Number(amount) * 100) });
    else save.mutate({ ...base, marginCents: cents(amount) });
  };
  const amountField = kind === "FIXED_PER_LEAD" ? "fixedCents" : kind === "REVENUE_SHARE" ? "shareBp" : "marginCents";
  const amountLabel =
    kind === "FIXED_PER_LEAD"
      ? "Amount per lead ($)"
      : kind === "REVENUE_SHARE"
        ? "Share of the sale (%)"
        : "LeadFlow's margin ($)";
  return (
    <form onSubmit={submit} aria-label={`Set a payout rule for ${source.name}`}>
      <div className="field">
        <label htmlFor={`${id}-v`}>Vertical</label>
        <select id={`${id}-v`} value={vertical} onChange={(e) => setVertical(e.target.value)}>
          <option value="">All verticals</option>
          {verticals.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-k`}>Rule</label>
        <select id={`${id}-k`} value={kind} onChange={(e) => setKind(e.target.value as PayoutRuleKind)}>
          {PAYOUT_RULE_KINDS.map((k) => (
            <option key={k} value={k}>
              {PAYOUT_RULE_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      <Field
        label={amountLabel}
        type="number"
        min={0}
        step="0.01"
        inputMode="decimal"
        required
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        errors={errors[amountField]}
      />
      <Field
        label="Minimum margin LeadFlow keeps ($)"
        type="number"
        min={0}
        step="0.01"
        inputMode="decimal"
        value={minMargin}
        onChange={(e) => setMinMargin(e.target.value)}
        errors={errors.minMarginCents}
      />
      <button type="submit" disabled={save.isPending}>
        Set rule
      </button>
      {save.isSuccess ? <p role="status">Rule saved.</p> : null}
      {save.isError && Object.keys(errors).length === 0 ? (
        <p className="error" role="alert">
          {messageOf(save.error)}
        </p>
      ) : null}
    </form>
  );
}
