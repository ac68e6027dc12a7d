// A lead seller's own terms, read-only: what it is paid per sold lead and how long its pings hold.
// One setting is the seller's own (as its webhook is): the time zone its portal's days and months,
// leads filter and downloads are counted in.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useEditForm } from "../../components/form";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { describeRule } from "./labels";
import { TimeZoneField, timeZoneProblem } from "./TimeZoneField";

export function SellerTermsPage() {
  const trpc = useTRPC();
  const mine = useQuery(trpc.sources.mine.queryOptions());
  const s = mine.data;
  return (
    <section>
      <h1>Your terms</h1>
      {mine.isPending ? <p>Loading…</p> : null}
      {mine.isError ? (
        <p className="error" role="alert">
          Your terms could not be loaded. Reload the page.
        </p>
      ) : null}
      {s ? (
        <>
          <section aria-labelledby="terms-set-by-leadflow" data-testid="terms-read-only">
            <h2 id="terms-set-by-leadflow">Set by LeadFlow</h2>
            <p>Ask your account manager to change these.</p>
            <h3>Payouts</h3>
            {s.rules.length === 0 ? <p>No payout is agreed yet: your leads earn nothing until one is.</p> : null}
            <ul>
              {s.rules.map((r) => (
                <li key={r.vertical ?? "*"}>
                  <strong>{r.vertical ?? "All verticals"}</strong>: {describeRule(r)}
                </li>
              ))}
            </ul>
            <h3>Ping, then post</h3>
            <p>The bids of a ping are held for {s.pingTtlSeconds} seconds: post the lead before its expiresAt.</p>
            <h3>Returns</h3>
            <p>A return approved within {s.returnWindowDays} days of the sale takes back that lead's payout.</p>
          </section>
          <section aria-labelledby="time-zone">
            <h2 id="time-zone">Your time zone</h2>
            <p data-testid="seller-time-zone">
              Times in <strong>{s.timeZone}</strong>. Your figures' days, the days of the leads filter, the months of
              your statement and the times in your downloads are counted in it.
            </p>
            <TimeZoneForm current={s.timeZone} />
          </section>
        </>
      ) : null}
    </section>
  );
}

function TimeZoneForm({ current }: { current: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const form = useEditForm({ timeZone: current });
  const save = useMutation(
    trpc.sources.setMyTimeZone.mutationOptions({
      onSuccess: async (r) => {
        form.saved({ timeZone: r.timeZone });
        await Promise.all([
          qc.invalidateQueries(trpc.sources.pathFilter()),
          qc.invalidateQueries(trpc.sellerPortal.pathFilter()),
        ]);
      },
      onError: form.failed,
    }),
  );
  const errors = form.errors(fieldErrorsOf(save.error));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.check({ timeZone: timeZoneProblem(form.values.timeZone) })) {
      save.reset();
      return;
    }
    save.mutate({ timeZone: form.values.timeZone.trim() });
  };
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate aria-label="Your time zone">
      {form.leaveWarning}
      <TimeZoneField
        label="Time zone"
        value={form.values.timeZone}
        onChange={(timeZone) => form.set({ timeZone })}
        errors={errors.timeZone}
      />
      <button type="submit" disabled={save.isPending}>
        Save time zone
      </button>
      {save.isSuccess && !form.dirty ? <p role="status">Saved.</p> : null}
      {save.isError && !errors.timeZone?.length ? (
        <p className="error" role="alert">
          {messageOf(save.error)}
        </p>
      ) : null}
    </form>
  );
}
