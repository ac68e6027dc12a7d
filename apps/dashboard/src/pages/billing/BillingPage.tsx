// A buyer's money (docs/billing.md). The admin: every buyer's balance (accounts receivable), and
// for the buyer picked, its billing settings, a top-up form, its ledger and its statements. A
// buyer org: each of its buyers' balance, ledger and monthly statements (CSV, PDF).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useRef, useState, type FormEvent } from "react";
import { DataTable, type Column } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { hasErrors, mergeErrors, useFocusFirstError, type FieldErrors } from "../../components/form";
import { BILLING_MODE_TEXT, LEDGER_KIND_TEXT } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { money, when } from "../auction/format";
import { dollars } from "../auction/settings-form";
import type { BillingMode } from "@leadflow/engine";

const MODES = Object.keys(BILLING_MODE_TEXT) as BillingMode[];
const thisMonth = () => new Date().toISOString().slice(0, 7);

/** Dollars typed by a person ("12.50", "", "1,000") to cents; undefined: not a valid amount. */
function toCents(text: string): number | null | undefined {
  const t = text.trim().replace(/[$,]/g, "");
  if (t === "") return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return undefined;
  return Math.round(Number(t) * 100);
}

export function AdminBillingPage() {
  const trpc = useTRPC();
  const ar = useQuery(trpc.billing.receivables.queryOptions());
  const [picked, setPicked] = useState<string | null>(null);
  type Row = NonNullable<typeof ar.data>[number];
  const columns: Column<Row>[] = [
    { key: "name", header: "Buyer", rowHeader: true, cell: (r) => `${r.name} (${r.orgName})` },
    { key: "mode", header: "Billing", cell: (r) => BILLING_MODE_TEXT[r.billingMode] },
    { key: "balance", header: "Balance", numeric: true, cell: (r) => money(r.balanceCents) },
    { key: "owed", header: "Owed", numeric: true, cell: (r) => money(r.owedCents) },
    {
      key: "state",
      header: "State",
      cell: (r) => (r.overLimit ? "Over its limit" : r.low ? "Low balance" : "OK"),
    },
    { key: "topup", header: "Last top-up", cell: (r) => (r.lastTopUpAt ? when(r.lastTopUpAt) : "Never") },
    {
      key: "open",
      header: "",
      label: "Open",
      actions: true,
      cell: (r) => (
        <button type="button" onClick={() => setPicked(r.buyerId)} aria-label={`Open billing of ${r.name}`}>
          Open
        </button>
      ),
    },
  ];
  const totalOwed = ar.data?.reduce((s, r) => s + r.owedCents, 0) ?? 0;
  return (
    <section>
      <h1>Billing</h1>
      <p>
        Each buyer&apos;s balance is the sum of its ledger: top-ups, a charge at each sale, a credit at each approved
        return. A prepaid buyer is never sold a lead its balance does not cover; a credit-limit buyer may owe up to its
        limit.
      </p>
      <h2>Accounts receivable</h2>
      {ar.isPending ? <p>Loading…</p> : null}
      {ar.isError ? (
        <p className="error" role="alert">
          {messageOf(ar.error)}
        </p>
      ) : null}
      {ar.data ? (
        <>
          <p data-testid="receivables-total">Owed by all buyers: {money(totalOwed)}</p>
          <DataTable
            caption="Every buyer's balance"
            columns={columns}
            rows={ar.data}
            rowKey={(r) => r.buyerId}
            empty="No buyers yet."
            rowProps={(r) => ({ "data-testid": `receivable-${r.buyerId}` })}
          />
        </>
      ) : null}
      {picked ? <BuyerBilling key={picked} buyerId={picked} admin /> : null}
    </section>
  );
}

export function BuyerBillingPage() {
  const trpc = useTRPC();
  const mine = useQuery(trpc.billing.mine.queryOptions());
  return (
    <section>
      <h1>Billing</h1>
      {mine.isPending ? <p>Loading…</p> : null}
      {mine.isError ? (
        <p className="error" role="alert">
          {messageOf(mine.error)}
        </p>
      ) : null}
      {mine.data?.length === 0 ? <p>You have no buyer account yet.</p> : null}
      {mine.data?.map((b) => (
        <BuyerBilling key={b.buyerId} buyerId={b.buyerId} admin={false} />
      ))}
    </section>
  );
}

function BuyerBilling({ buyerId, admin }: { buyerId: string; admin: boolean }) {
  const trpc = useTRPC();
  const b = useQuery(trpc.billing.get.queryOptions({ buyerId }));
  if (b.isPending) return <p>Loading…</p>;
  if (b.isError)
    return (
      <p className="error" role="alert">
        {messageOf(b.error)}
      </p>
    );
  const d = b.data;
  return (
    <div className="card" data-testid="buyer-billing">
      <h2>{d.name}</h2>
      <p data-testid="balance">
        Balance: <strong>{money(d.balanceCents)}</strong> · {BILLING_MODE_TEXT[d.billingMode]}
        {d.billingMode === "CREDIT_LIMIT" ? ` of ${money(d.creditLimitCents)}` : ""}
        {d.low ? " · under your low-balance threshold" : ""}
      </p>
      <p className="hint">
        Budgets: {d.budgetDailyCents == null ? "no daily budget" : `${money(d.budgetDailyCents)} a day`},{" "}
        {d.budgetMonthlyCents == null ? "no monthly budget" : `${money(d.budgetMonthlyCents)} a month`} ({d.timeZone}).
      </p>
      {admin ? <SettingsForm buyerId={buyerId} initial={d} /> : null}
      {admin ? <TopUpForm buyerId={buyerId} /> : null}
      <Statements buyerId={buyerId} />
      <Ledger buyerId={buyerId} />
    </div>
  );
}

interface Settings {
  billingMode: BillingMode;
  creditLimitCents: number | null;
  lowBalanceThresholdCents: number | null;
  budgetDailyCents: number | null;
  budgetMonthlyCents: number | null;
}

function SettingsForm({ buyerId, initial }: { buyerId: string; initial: Settings }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [attempt, setAttempt] = useState(0);
  useFocusFirstError(form, attempt);
  const [mode, setMode] = useState<BillingMode>(initial.billingMode);
  const [text, setText] = useState({
    creditLimitCents: dollars(initial.creditLimitCents),
    lowBalanceThresholdCents: dollars(initial.lowBalanceThresholdCents),
    budgetDailyCents: dollars(initial.budgetDailyCents),
    budgetMonthlyCents: dollars(initial.budgetMonthlyCents),
  });
  const [local, setLocal] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.billing.setSettings.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await qc.invalidateQueries(trpc.billing.pathFilter());
      },
    }),
  );
  const errors = mergeErrors(fieldErrorsOf(save.error), local);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const parsed = Object.fromEntries(Object.entries(text).map(([k, v]) => [k, toCents(v)])) as Record<
      keyof typeof text,
      number | null | undefined
    >;
    const bad: FieldErrors = {};
    for (const [k, v] of Object.entries(parsed)) if (v === undefined) bad[k] = ["Enter dollars, like 250 or 12.50."];
    if (mode === "CREDIT_LIMIT" && parsed.creditLimitCents === null)
      bad.creditLimitCents = ["A credit-limit buyer needs its credit limit."];
    setLocal(bad);
    setAttempt((n) => n + 1);
    if (hasErrors(bad)) return;
    save.mutate({
      buyerId,
      billingMode: mode,
      creditLimitCents: parsed.creditLimitCents ?? null,
      lowBalanceThresholdCents: parsed.lowBalanceThresholdCents ?? null,
      budgetDailyCents: parsed.budgetDailyCents ?? null,
      budgetMonthlyCents: parsed.budgetMonthlyCents ?? null,
    });
  };
  const field = (key: keyof typeof text, label: string, hint: string) => (
    <Field
      label={label}
      hint={hint}
      inputMode="decimal"
      value={text[key]}
      errors={errors[key]}
      onChange={(e) => setText({ ...text, [key]: e.target.value })}
    />
  );
  return (
    <form ref={form} onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Billing settings</h3>
      <div className="field">
        <label htmlFor={`${id}-mode`}>Billing mode</label>
        <select id={`${id}-mode`} value={mode} onChange={(e) => setMode(e.target.value as BillingMode)}>
          {MODES.map((m) => (
            <option key={m} value={m}>
              {BILLING_MODE_TEXT[m]}
            </option>
          ))}
        </select>
      </div>
      {mode === "CREDIT_LIMIT" ? field("creditLimitCents", "Credit limit ($)", "How far below zero it may go.") : null}
      {field(
        "lowBalanceThresholdCents",
        "Low-balance threshold ($)",
        "One email and a banner under this. Empty: none.",
      )}
      {field("budgetDailyCents", "Daily budget ($)", "In the buyer's time zone. Empty: none.")}
      {field("budgetMonthlyCents", "Monthly budget ($)", "In the buyer's time zone. Empty: none.")}
      {save.error && !hasErrors(fieldErrorsOf(save.error)) ? (
        <p className="error" role="alert">
          {messageOf(save.error)}
        </p>
      ) : null}
      {saved ? <p role="status">Saved.</p> : null}
      <button type="submit" disabled={save.isPending}>
        Save billing settings
      </button>
    </form>
  );
}

function TopUpForm({ buyerId }: { buyerId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [attempt, setAttempt] = useState(0);
  useFocusFirstError(form, attempt);
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  // One key per filled-in form: a double click (or a retry after a lost answer) is one top-up.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [local, setLocal] = useState<FieldErrors>({});
  const [done, setDone] = useState<string | null>(null);
  const top = useMutation(
    trpc.billing.topUp.mutationOptions({
      onSuccess: async (r) => {
        setDone(`Added. The balance is now ${money(r.balanceCents)}.`);
        setAmount("");
        setNote("");
        setKey(crypto.randomUUID());
        await qc.invalidateQueries(trpc.billing.pathFilter());
      },
    }),
  );
  const errors = mergeErrors(fieldErrorsOf(top.error), local);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const cents = toCents(amount);
    const bad: FieldErrors = {};
    if (cents === undefined || cents === null || cents < 1) bad.amountCents = ["Enter an amount in dollars, like 500."];
    setLocal(bad);
    setAttempt((n) => n + 1);
    if (hasErrors(bad)) return;
    top.mutate({ buyerId, amountCents: cents!, note: note.trim() || null, idempotencyKey: key });
  };
  return (
    <form ref={form} onSubmit={submit} noValidate aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Top up</h3>
      <Field
        label="Amount ($)"
        inputMode="decimal"
        value={amount}
        errors={errors.amountCents}
        onChange={(e) => setAmount(e.target.value)}
      />
      <Field
        label="Note"
        hint="A payment reference, shown on the statement."
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      {top.error && !hasErrors(fieldErrorsOf(top.error)) ? (
        <p className="error" role="alert">
          {messageOf(top.error)}
        </p>
      ) : null}
      {done ? <p role="status">{done}</p> : null}
      <button type="submit" disabled={top.isPending}>
        Add to the balance
      </button>
    </form>
  );
}

function Statements({ buyerId }: { buyerId: string }) {
  const trpc = useTRPC();
  const id = useId();
  const [month, setMonth] = useState(thisMonth);
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const st = useQuery({ ...trpc.billing.statement.queryOptions({ buyerId, month }), enabled: valid });
  const base = `/api/billing/statements/${buyerId}/${month}`;
  return (
    <div>
      <h3>Statement</h3>
      <div className="field">
        <label htmlFor={`${id}-m`}>Month</label>
        <input id={`${id}-m`} type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
      </div>
      {st.data ? (
        <p data-testid="statement-summary">
          Opening {money(st.data.openingCents)} · bought {money(-st.data.totals.CHARGE)} · credits{" "}
          {money(st.data.totals.RETURN_CREDIT + st.data.totals.RELEASE)} · top-ups {money(st.data.totals.TOP_UP)} ·
          closing {money(st.data.closingCents)}
        </p>
      ) : null}
      {valid ? (
        <p>
          <a href={`${base}.csv`} download>
            Download CSV
          </a>{" "}
          ·{" "}
          <a href={`${base}.pdf`} download>
            Download PDF
          </a>
        </p>
      ) : null}
    </div>
  );
}

function Ledger({ buyerId }: { buyerId: string }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(0);
  const size = 25;
  const l = useQuery(trpc.billing.ledger.queryOptions({ buyerId, limit: size, offset: page * size }));
  type Row = NonNullable<typeof l.data>["rows"][number];
  const columns = useMemo<Column<Row>[]>(
    () => [
      { key: "at", header: "When", rowHeader: true, cell: (r) => when(r.createdAt) },
      { key: "kind", header: "Entry", cell: (r) => LEDGER_KIND_TEXT[r.kind] },
      { key: "amount", header: "Amount", numeric: true, cell: (r) => money(r.amountCents) },
      { key: "note", header: "Note", cell: (r) => r.note ?? (r.leadId ? `Lead ${r.leadId.slice(0, 8)}` : "—") },
    ],
    [],
  );
  return (
    <div>
      <h3>Ledger</h3>
      {l.isError ? (
        <p className="error" role="alert">
          {messageOf(l.error)}
        </p>
      ) : null}
      {l.data ? (
        <>
          <DataTable
            caption="Ledger entries, newest first"
            columns={columns}
            rows={l.data.rows}
            rowKey={(r) => String(r.id)}
            empty="No entries yet."
          />
          {l.data.total > size ? (
            <p>
              <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
                Newer
              </button>{" "}
              <button type="button" disabled={(page + 1) * size >= l.data.total} onClick={() => setPage(page + 1)}>
                Older
              </button>
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
