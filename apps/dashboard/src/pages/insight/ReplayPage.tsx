// What-if replay: start from a buyer's current settings, change bid, caps, zips, hours or delivery
// mode, and replay the last N days of recorded leads through the auction engine. Nothing is saved
// and no buyer is called; the answer is how many leads it would have won, at what cost, and why
// it would have lost the others.
import type { AppRouter } from "@leadflow/api";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { Field } from "../../components/Field";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { formFromBuyer, inputFromForm, type BuyerView, type SettingsForm } from "../auction/settings-form";
import { HoursFields, ZipsFields } from "../auction/ZipsAndHours";
import { money, reasonText, when } from "./format";
import { DataTable } from "../../components/DataTable";

type Changes = NonNullable<inferRouterInputs<AppRouter>["insight"]["replay"]["changes"]>;

function toCents(text: string): number | null | "bad" {
  const t = text.trim().replace(/^\$/, "").replace(/,/g, "");
  if (t === "") return null;
  return /^\d+(\.\d{1,2})?$/.test(t) ? Math.round(Number(t) * 100) : "bad";
}

export function ReplayPage({ admin = false }: { admin?: boolean }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.buyers.list.queryOptions());
  const [buyerId, setBuyerId] = useState("");
  const buyer = list.data?.find((b) => b.id === buyerId) ?? (admin ? undefined : list.data?.[0]);
  useEffect(() => {
    if (!admin && !buyerId && list.data?.[0]) setBuyerId(list.data[0].id);
  }, [admin, buyerId, list.data]);
  return (
    <section>
      <h1>What-if replay</h1>
      <p className="hint">
        Change your settings and replay your recorded leads through the same auction, against the bids your competitors
        actually made. Your balance, credit limit and money budgets count as they stood at each lead (your top-ups
        included), so a lead you could not have paid for shows as insufficient funds. Nothing is saved and no buyer is
        contacted.
      </p>
      <div className="field">
        <label htmlFor="replay-buyer">Buyer</label>
        <select id="replay-buyer" value={buyer?.id ?? ""} onChange={(e) => setBuyerId(e.target.value)}>
          {admin ? <option value="">Choose a buyer</option> : null}
          {list.data?.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
              {admin ? ` (${b.orgName ?? ""}, ${b.type.toLowerCase()})` : ""}
            </option>
          ))}
        </select>
      </div>
      {list.isError ? (
        <p className="error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : null}
      {list.data?.length === 0 ? <p>No buyer is set up for your organisation yet.</p> : null}
      {buyer ? <ReplayForm key={buyer.id} buyer={buyer} /> : null}
    </section>
  );
}

export const AdminReplayPage = () => <ReplayPage admin />;

function ReplayForm({ buyer }: { buyer: BuyerView }) {
  const trpc = useTRPC();
  const [form, setForm] = useState<SettingsForm>(() => formFromBuyer(buyer));
  const [days, setDays] = useState("30");
  const [bid, setBid] = useState("");
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const replay = useMutation(trpc.insight.replay.mutationOptions());
  const set = (p: Partial<SettingsForm>) => setForm((f) => ({ ...f, ...p }));
  const network = buyer.type === "NETWORK";
  const errors = { ...fieldErrorsOf(replay.error), ...localErrors };
  const err = (k: string) => errors[k] ?? errors[`changes.${k}`];

  function submit(e: FormEvent) {
    e.preventDefault();
    const { input, errors: formErrors } = inputFromForm(buyer.id, form);
    const errs: Record<string, string[]> = { ...formErrors };
    const bidCents = toCents(bid);
    if (bidCents === "bad") errs.bidCents = ["Enter an amount in dollars, like 45 or 45.50."];
    const d = Number(days);
    if (!Number.isInteger(d) || d < 1 || d > 90) errs.days = ["Replay between 1 and 90 days."];
    setLocalErrors(errs);
    if (Object.keys(errs).length > 0) return;
    const changes: Changes = {
      capDaily: input.capDaily,
      capWeekly: input.capWeekly,
      capMonthly: input.capMonthly,
      serviceZips: input.serviceZips,
      timeZone: input.timeZone,
      hours: input.hours,
      ...(network
        ? bidCents !== null && bidCents !== "bad"
          ? { bidCents }
          : {}
        : {
            pricingModel: input.pricingModel,
            maxBidCents: input.maxBidCents,
            fixedLeadPriceCents: input.fixedLeadPriceCents,
            sharedPriceCents: input.sharedPriceCents,
            deliveryMode: input.deliveryMode,
            maxSharedLeads: input.maxSharedLeads,
          }),
    };
    replay.mutate({ buyerId: buyer.id, days: d, changes });
  }

  return (
    <>
      <form className="settings card" onSubmit={submit} noValidate aria-label="Replay settings">
        <Field
          label="Days to replay"
          inputMode="numeric"
          value={days}
          onChange={(e) => setDays(e.target.value)}
          errors={err("days")}
          hint="The last 1 to 90 days of recorded leads."
        />
        {network ? (
          <Field
            label="Your bid ($)"
            inputMode="decimal"
            value={bid}
            onChange={(e) => setBid(e.target.value)}
            errors={err("bidCents")}
            hint="Leave empty to replay the bids you actually made; enter an amount to answer every ping with it."
          />
        ) : (
          <>
            <div className="field">
              <label htmlFor="replay-pricing">Pricing</label>
              <select
                id="replay-pricing"
                value={form.pricingModel}
                onChange={(e) => set({ pricingModel: e.target.value as SettingsForm["pricingModel"] })}
              >
                <option value="FIXED">Fixed price per lead</option>
                <option value="AUCTION">Auction (compete with your max bid)</option>
                <option value="HYBRID">Hybrid (max bid exclusive, lower price shared)</option>
              </select>
            </div>
            <Field
              label="Max bid ($)"
              inputMode="decimal"
              value={form.maxBid}
              onChange={(e) => set({ maxBid: e.target.value })}
              errors={err("maxBidCents")}
            />
            <Field
              label="Fixed price ($)"
              inputMode="decimal"
              value={form.fixedPrice}
              onChange={(e) => set({ fixedPrice: e.target.value })}
              errors={err("fixedLeadPriceCents")}
            />
            <Field
              label="Shared price ($)"
              inputMode="decimal"
              value={form.sharedPrice}
              onChange={(e) => set({ sharedPrice: e.target.value })}
              errors={err("sharedPriceCents")}
            />
            <div className="field">
              <label htmlFor="replay-mode">Delivery mode</label>
              <select
                id="replay-mode"
                value={form.deliveryMode}
                onChange={(e) => set({ deliveryMode: e.target.value as SettingsForm["deliveryMode"] })}
              >
                <option value="EXCLUSIVE">Exclusive</option>
                <option value="SHARED">Shared</option>
              </select>
            </div>
            <Field
              label="Buyers sharing a lead"
              inputMode="numeric"
              value={form.maxSharedLeads}
              onChange={(e) => set({ maxSharedLeads: e.target.value })}
              errors={err("maxSharedLeads")}
            />
          </>
        )}
        <div className="grid3">
          <Field
            label="Daily cap"
            inputMode="numeric"
            value={form.capDaily}
            onChange={(e) => set({ capDaily: e.target.value })}
            errors={err("capDaily")}
            hint="Empty: no cap."
          />
          <Field
            label="Weekly cap"
            inputMode="numeric"
            value={form.capWeekly}
            onChange={(e) => set({ capWeekly: e.target.value })}
            errors={err("capWeekly")}
          />
          <Field
            label="Monthly cap"
            inputMode="numeric"
            value={form.capMonthly}
            onChange={(e) => set({ capMonthly: e.target.value })}
            errors={err("capMonthly")}
          />
        </div>
        <ZipsFields
          zips={form.zips}
          onChange={(zips) => set({ zips })}
          errors={Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.replace(/^changes\./, ""), v]))}
        />
        <HoursFields
          form={form}
          set={set}
          errors={Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.replace(/^changes\./, ""), v]))}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={replay.isPending}>
            {replay.isPending ? "Replaying…" : "Replay"}
          </button>
        </div>
        {replay.isError && Object.keys(fieldErrorsOf(replay.error)).length === 0 ? (
          <p className="error" role="alert">
            {messageOf(replay.error)}
          </p>
        ) : null}
      </form>
      {replay.data ? <ReplayResult r={replay.data} /> : null}
    </>
  );
}

type Result = inferRouterOutputs<AppRouter>["insight"]["replay"];

function ReplayResult({ r }: { r: Result }) {
  return (
    <section aria-labelledby="replay-result" aria-live="polite">
      <h2 id="replay-result">
        Replayed {r.leads.toLocaleString("en-US")} leads from {when(r.from)} to {when(r.to)}
      </h2>
      <DataTable
        caption="Recorded against replayed"
        rows={[
          { key: "recorded", label: "What happened", won: r.recorded.won, spentCents: r.recorded.spentCents },
          { key: "whatif", label: "With these settings", won: r.replay.won, spentCents: r.replay.spentCents },
        ]}
        rowKey={(x) => x.key}
        rowProps={(x) => ({ "data-testid": `replay-${x.key}` })}
        empty="Nothing to compare."
        columns={[
          { key: "label", header: "", label: "Run", rowHeader: true, cell: (x) => x.label },
          { key: "won", header: "Leads won", numeric: true, cell: (x) => x.won },
          { key: "cost", header: "Cost", numeric: true, cell: (x) => money(x.spentCents) },
        ]}
      />
      <p data-testid="replay-summary">
        {r.gained} more won, {r.lost} no longer won
        {r.replay.avgPriceCents != null ? `, ${money(r.replay.avgPriceCents)} a lead on average` : ""}.
        {r.assumed > 0
          ? ` ${r.assumed} of these leads reached a buyer the recording never asked; the replay assumes it accepted.`
          : ""}
      </p>
      <h3>Why the other leads would be lost</h3>
      {r.lostReasons.length === 0 ? (
        <p>None: every lead would be won.</p>
      ) : (
        <ul>
          {r.lostReasons.map((x) => (
            <li key={x.reason} data-testid="replay-reason">
              {reasonText(x.reason)}: {x.count}
            </li>
          ))}
        </ul>
      )}
      <h3>Lead by lead</h3>
      <DataTable
        caption="Lead by lead"
        rows={r.rows}
        rowKey={(x) => x.leadId}
        rowProps={() => ({ "data-testid": "replay-row" })}
        empty="No leads in this period."
        columns={[
          { key: "at", header: "Received", cell: (x) => when(x.receivedAt) },
          { key: "zip", header: "Zip", cell: (x) => <Link to={`/leads/${x.leadId}`}>{x.zip}</Link> },
          {
            key: "recorded",
            header: "What happened",
            cell: (x) => (
              <span className={x.recorded.won ? "ok" : undefined}>
                {x.recorded.won ? `Won at ${money(x.recorded.priceCents)}` : reasonText(x.recorded.reason)}
              </span>
            ),
          },
          {
            key: "replay",
            header: "With these settings",
            cell: (x) => (
              <span className={x.replay.won ? "ok" : undefined}>
                {x.replay.won ? `Won at ${money(x.replay.priceCents)}` : reasonText(x.replay.reason)}
                {x.replay.detail && !x.replay.won ? <span className="hint"> {x.replay.detail}</span> : null}
                {x.assumed ? " (assumes the buyer accepted)" : ""}
              </span>
            ),
          },
        ]}
      />
    </section>
  );
}
