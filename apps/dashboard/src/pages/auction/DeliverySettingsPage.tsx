// A contractor's delivery settings: everything that decides which leads it gets, at what price,
// and how they reach it. Saved all at once. The browser runs the server's own schema first
// (@leadflow/api/forms), so every problem shows beside its field on the first save; the server
// checks again and its answer shows the same way.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { hasErrors, mergeErrors, useFocusFirstError, useUnsavedChanges, type FieldErrors } from "../../components/form";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { formFromBuyer, inputFromForm, type BuyerView, type SettingsForm } from "./settings-form";
import { SettingsFields } from "./SettingsFields";

export function DeliverySettingsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.buyers.list.queryOptions());
  const [picked, setPicked] = useState<string | null>(null);
  if (list.isPending) return <p>Loading…</p>;
  if (list.isError)
    return (
      <p className="error" role="alert">
        {messageOf(list.error)}
      </p>
    );
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
  // What was last saved (or loaded): the form is "dirty" while it differs.
  const [savedForm, setSavedForm] = useState<SettingsForm>(form);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const [secret, setSecret] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  /** The form as sent, which becomes the saved state when the server agrees. */
  const submitted = useRef<SettingsForm | null>(null);
  const set = (patch: Partial<SettingsForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };
  const save = useMutation(
    trpc.buyers.updateSettings.mutationOptions({
      onSuccess: async (r) => {
        setSecret(r.newWebhookSecret ?? null);
        setSaved(true);
        if (submitted.current) setSavedForm(submitted.current);
        await qc.invalidateQueries(trpc.buyers.pathFilter());
      },
      onError: () => setAttempt((n) => n + 1),
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
  const dirty = !sameForm(form, savedForm);
  const leaveWarning = useUnsavedChanges(dirty);
  useFocusFirstError(formRef, attempt);
  // The schemas (zod) load with the form, not with the sign-in page.
  useEffect(() => void loadChecks(), []);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const { input, errors: typed } = inputFromForm(buyer.id, form);
    const { contractorSettingsErrors } = await loadChecks();
    // Text that isn't a number yet explains itself better than the rule it then breaks.
    const local = mergeErrors(contractorSettingsErrors(input), typed);
    setLocalErrors(local);
    if (hasErrors(local)) {
      save.reset();
      setAttempt((n) => n + 1);
      return;
    }
    submitted.current = form;
    save.mutate(input);
  }
  const errors = mergeErrors(fieldErrorsOf(save.error), localErrors);
  const problem = hasErrors(localErrors) ? "Some settings need attention." : messageOf(save.error);
  return (
    <form
      ref={formRef}
      onSubmit={(e) => void submit(e)}
      noValidate
      className="settings"
      aria-label={`Delivery settings of ${buyer.name}`}
    >
      {leaveWarning}
      <p className="hint">
        {buyer.name} · {buyer.active ? "active" : "paused by LeadFlow"} · verticals:{" "}
        {buyer.verticals.join(", ") || "none"}
      </p>
      <SettingsFields
        form={form}
        set={set}
        errors={errors}
        hasSecret={buyer.hasWebhookSecret}
        onGenerateSecret={() => rotate.mutate({ id: buyer.id })}
      />
      {secret ? (
        <div className="notice" role="status">
          <p>
            <strong>Copy your new signing secret now.</strong> It is shown once; your CRM verifies our signatures with
            it.
          </p>
          <code className="secret" data-testid="webhook-secret">
            {secret}
          </code>
        </div>
      ) : null}
      {problem ? (
        <p className="error" role="alert" data-form-problem tabIndex={-1}>
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

/** Field by field, so key order in the objects doesn't matter. */
function sameForm(a: SettingsForm, b: SettingsForm): boolean {
  return (Object.keys(a) as (keyof SettingsForm)[]).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

const loadChecks = () => import("@leadflow/api/forms");
