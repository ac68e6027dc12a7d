// Phase windows and sizes; the server validates each field and names its bounds.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";

const FIELDS = [
  ["exclusiveWindowMinutes", "Exclusive window (minutes)"],
  ["tierExpansionWindowMinutes", "Tier expansion window (minutes)"],
  ["broadcastWindowMinutes", "Broadcast window (minutes)"],
  ["maxExclusiveDJs", "DJs in the exclusive phase"],
  ["maxTierExpansionDJs", "DJs in tier expansion"],
  ["maxBroadcastDJs", "DJs in broadcast"],
] as const;

export function RoutingSettingsForm() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.marketAdmin.routingSettings.queryOptions());
  const [edits, setEdits] = useState<Record<string, string>>({});
  const save = useMutation(
    trpc.marketAdmin.setRoutingSettings.mutationOptions({
      onSuccess: () => qc.invalidateQueries(trpc.marketAdmin.pathFilter()),
    }),
  );
  const errs = fieldErrorsOf(save.error);
  const value = (k: string) => edits[k] ?? String((current.data as Record<string, number> | undefined)?.[k] ?? "");
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate(Object.fromEntries(FIELDS.map(([k]) => [k, Number(value(k))])));
  }
  return (
    <form onSubmit={submit} noValidate className="card">
      {FIELDS.map(([k, label]) => (
        <Field
          key={k}
          label={label}
          type="number"
          inputMode="numeric"
          value={value(k)}
          onChange={(e) => setEdits({ ...edits, [k]: e.target.value })}
          errors={errs[k]}
        />
      ))}
      {save.error && !Object.keys(errs).length ? (
        <p className="error" role="alert">
          {messageOf(save.error)}
        </p>
      ) : null}
      {save.isSuccess ? (
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
