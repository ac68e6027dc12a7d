// The admin's verticals: a kind of lead and its floor (no bid below it counts).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { mergeErrors, useFormState } from "../../components/form";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { money } from "./format";
import { cents } from "./settings-form";

const EMPTY = { key: "", name: "", floor: "" };

/** `onDirty`: the Buyers page warns once, for this form and the buyer editor, before leaving. */
export function VerticalsEditor({ onDirty }: { onDirty: (dirty: boolean) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.buyers.verticals.queryOptions());
  const form = useFormState(EMPTY);
  useEffect(() => onDirty(form.dirty), [form.dirty, onDirty]);
  const save = useMutation(
    trpc.buyers.saveVertical.mutationOptions({
      onSuccess: async () => {
        form.reset(EMPTY);
        await qc.invalidateQueries(trpc.buyers.verticals.pathFilter());
      },
      onError: form.failed,
    }),
  );
  async function submit(e: FormEvent) {
    e.preventDefault();
    const typed: Record<string, string[]> = {};
    const floorCents = cents(form.values.floor, "floorCents", typed) ?? 0;
    const input = { key: form.values.key.trim(), name: form.values.name.trim(), floorCents, active: true };
    const { verticalErrors } = await import("@leadflow/api/forms");
    if (!form.check(mergeErrors(verticalErrors(input), typed))) {
      save.reset();
      return;
    }
    save.mutate(input);
  }
  const errors = form.errors(fieldErrorsOf(save.error));
  return (
    <>
      <h2>Verticals</h2>
      <p className="hint">
        {list.data
          ?.map((v) => `${v.name} (${v.key}, floor ${money(v.floorCents)}${v.active ? "" : ", inactive"})`)
          .join(" · ")}
      </p>
      <form
        ref={form.formRef}
        onSubmit={(e) => void submit(e)}
        noValidate
        className="grid3"
        aria-label="Add or change a vertical"
      >
        <Field
          label="Vertical key"
          value={form.values.key}
          onChange={(e) => form.set({ key: e.target.value })}
          errors={errors.key}
          hint="e.g. roofing; an existing key is updated."
        />
        <Field
          label="Vertical name"
          value={form.values.name}
          onChange={(e) => form.set({ name: e.target.value })}
          errors={errors.name}
        />
        <Field
          label="Floor ($)"
          inputMode="decimal"
          value={form.values.floor}
          onChange={(e) => form.set({ floor: e.target.value })}
          errors={errors.floorCents}
          hint="Bids below it lose with BELOW_MIN_BID."
        />
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            Save vertical
          </button>
        </div>
      </form>
      {save.error && !Object.keys(errors).length ? (
        <p className="error" role="alert">
          {messageOf(save.error)}
        </p>
      ) : null}
    </>
  );
}
