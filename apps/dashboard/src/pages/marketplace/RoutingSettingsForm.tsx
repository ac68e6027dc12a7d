// Phase windows and sizes. The browser checks each field by the engine's own rule
// (validateRoutingConfig) before sending, so every problem shows at once beside its field; the
// server checks again with the same rule and its errors land beside the same fields.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { validateRoutingConfig, type RoutingConfig } from "@leadflow/engine";
import { type FormEvent } from "react";
import { Field } from "../../components/Field";
import { useEditForm, wholeNumber, type FieldErrors } from "../../components/form";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";

const FIELDS: readonly (readonly [keyof RoutingConfig, string, string])[] = [
  ["exclusiveWindowMinutes", "Exclusive window (minutes)", "How long the first DJ has the lead alone."],
  ["tierExpansionWindowMinutes", "Tier expansion window (minutes)", "How long the next few DJs have it."],
  ["broadcastWindowMinutes", "Broadcast window (minutes)", "How long every eligible DJ may take it."],
  ["maxExclusiveDJs", "DJs in the exclusive phase", ""],
  ["maxTierExpansionDJs", "DJs in tier expansion", ""],
  ["maxBroadcastDJs", "DJs in broadcast", ""],
];

type Values = Record<keyof RoutingConfig, string>;

const valuesOf = (c: RoutingConfig): Values => Object.fromEntries(FIELDS.map(([k]) => [k, String(c[k])])) as Values;

/** What the browser can tell before sending: text that isn't a whole number, then the engine's bounds. */
function localCheck(values: Values): { input: Partial<RoutingConfig>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const input: Partial<RoutingConfig> = {};
  for (const [k] of FIELDS) {
    const n = wholeNumber(values[k]);
    if (n.error) errors[k] = [n.error];
    else input[k] = n.value;
  }
  const r = validateRoutingConfig(input);
  if (!r.ok) for (const e of r.errors) errors[e.field] ??= [e.message];
  return { input, errors };
}

export function RoutingSettingsForm() {
  const trpc = useTRPC();
  const current = useQuery(trpc.marketAdmin.routingSettings.queryOptions());
  if (current.isPending) return <p aria-live="polite">Loading routing settings…</p>;
  if (current.isError)
    return (
      <p className="error" role="alert">
        {messageOf(current.error)}
      </p>
    );
  return <RoutingSettingsEditor initial={valuesOf(current.data)} />;
}

function RoutingSettingsEditor({ initial }: { initial: Values }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const form = useEditForm<Values>(initial);
  const save = useMutation(
    trpc.marketAdmin.setRoutingSettings.mutationOptions({
      onSuccess: async (saved) => {
        form.saved(valuesOf(saved));
        await qc.invalidateQueries(trpc.marketAdmin.pathFilter());
      },
      onError: form.failed,
    }),
  );
  const errors = form.errors(fieldErrorsOf(save.error));
  function submit(e: FormEvent) {
    e.preventDefault();
    const { input, errors: local } = localCheck(form.values);
    if (!form.check(local)) {
      save.reset();
      return;
    }
    save.mutate(input);
  }
  const fieldProblem = Object.keys(errors).some((k) => errors[k]?.length);
  const problem = fieldProblem ? "Some settings need attention." : save.error ? messageOf(save.error) : null;
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="card settings" aria-label="Routing settings">
      {form.leaveWarning}
      {FIELDS.map(([k, label, hint]) => (
        <Field
          key={k}
          label={label}
          hint={hint || undefined}
          inputMode="numeric"
          value={form.values[k]}
          onChange={(e) => form.set({ [k]: e.target.value } as Partial<Values>)}
          errors={errors[k]}
        />
      ))}
      {problem ? (
        <p className="error" role="alert" data-form-problem={fieldProblem ? undefined : true} tabIndex={-1}>
          {problem}
        </p>
      ) : null}
      {save.isSuccess && !form.dirty ? (
        <p className="ok" role="status">
          Saved. New phases use these settings.
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={save.isPending}>
        Save routing settings
      </button>
    </form>
  );
}
