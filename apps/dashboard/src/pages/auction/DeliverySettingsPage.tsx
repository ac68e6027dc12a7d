// A contractor's delivery settings: everything that decides which leads it gets, at what price,
// and how they reach it. Saved all at once; the server checks the same rules and answers with
// errors beside the fields.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { formFromBuyer, inputFromForm, type BuyerView, type SettingsForm } from "./settings-form";
import { SettingsFields } from "./SettingsFields";

export function DeliverySettingsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.buyers.list.queryOptions());
  const [picked, setPicked] = useState<string | null>(null);
  if (list.isPending) return <p>Loading…</p>;
  if (list.isError) return <p className="error" role="alert">{messageOf(list.error)}</p>;
  const mine = list.data.filter((b) => b.type === "CONTRACTOR");
  if (mine.length === 0) return <p>Your organisation has no contractor buyer yet. Ask LeadFlow to set one up.</p>;
  const buyer = mine.find((b) => b.id === picked) ?? mine[0]!;
  return (
    <section>
      <h1>Delivery settings</h1>
      {mine.length > 1 ? (
        <div className="field">
          <label htmlFor="buyer-pick">Buyer</label>
          <select id="buyer-pick" value={buyer.id} onChange={(e) => setPicked(e.target.value)}>
            {mine.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <SettingsEditor key={buyer.id} buyer={buyer} />
    </section>
  );
}

export function SettingsEditor({ buyer }: { buyer: BuyerView }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form, setForm] = useState<SettingsForm>(() => formFromBuyer(buyer));
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const [secret, setSecret] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<SettingsForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };
  const save = useMutation(
    trpc.buyers.updateSettings.mutationOptions({
      onSuccess: async (r) => {
        setSecret(r.newWebhookSecret ?? null);
        setSaved(true);
        await qc.invalidateQueries(trpc.buyers.pathFilter());
      },
    }),
  );
  const rotate = useMutation(
    trpc.buyers.rotateWebhookSecret.mutationOptions({
      onSuccess: async (r) => {
        setSecret(r.webhookSecret);
        await qc.invalidateQueries(trpc.buyers.pathFilter());
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    const { input, errors } = inputFromForm(buyer.id, form);
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) save.mutate(input);
  }
  const errors = Object.keys(localErrors).length ? localErrors : fieldErrorsOf(save.error);
  const problem = Object.keys(localErrors).length ? "Some fields need attention." : messageOf(save.error);
  return (
    <form onSubmit={submit} noValidate className="settings" aria-label={`Delivery settings of ${buyer.name}`}>
      <p className="hint">
        {buyer.name} · {buyer.active ? "active" : "paused by LeadFlow"} · verticals: {buyer.verticals.join(", ") || "none"}
      </p>
      <SettingsFields form={form} set={set} errors={errors} hasSecret={buyer.hasWebhookSecret} onGenerateSecret={() => rotate.mutate({ id: buyer.id })} />
      {secret ? (
        <div className="notice" role="status">
          <p>
            <strong>Copy your new signing secret now.</strong> It is shown once; your CRM verifies our signatures with it.
          </p>
          <code className="secret" data-testid="webhook-secret">
            {secret}
          </code>
        </div>
      ) : null}
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      {saved && !problem ? (
        <p className="ok" role="status">
          Saved. The next lead follows these settings.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}
