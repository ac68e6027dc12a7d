// The admin's verticals: a kind of lead and its floor (no bid below it counts).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { money } from "./format";

export function VerticalsEditor() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.buyers.verticals.queryOptions());
  const [form, setForm] = useState({ key: "", name: "", floor: "" });
  const save = useMutation(
    trpc.buyers.saveVertical.mutationOptions({
      onSuccess: async () => {
        setForm({ key: "", name: "", floor: "" });
        await qc.invalidateQueries(trpc.buyers.verticals.pathFilter());
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    const floor = Number(form.floor.replace(/^\$/, "") || "0");
    save.mutate({
      key: form.key.trim(),
      name: form.name.trim(),
      floorCents: Number.isFinite(floor) ? Math.round(floor * 100) : -1,
      active: true,
    });
  }
  const errors = fieldErrorsOf(save.error);
  return (
    <>
      <h2>Verticals</h2>
      <p className="hint">
        {list.data
          ?.map((v) => `${v.name} (${v.key}, floor ${money(v.floorCents)}${v.active ? "" : ", inactive"})`)
          .join(" · ")}
      </p>
      <form onSubmit={submit} noValidate className="grid3" aria-label="Add or change a vertical">
        <Field
          label="Vertical key"
          value={form.key}
          onChange={(e) => setForm({ ...form, key: e.target.value })}
          errors={errors.key}
          hint="e.g. roofing; an existing key is updated."
        />
        <Field
          label="Vertical name"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          errors={errors.name}
        />
        <Field
          label="Floor ($)"
          inputMode="decimal"
          value={form.floor}
          onChange={(e) => setForm({ ...form, floor: e.target.value })}
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
