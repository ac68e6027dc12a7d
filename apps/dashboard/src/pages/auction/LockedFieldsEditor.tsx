// The admin's locks on a network buyer's self-service terms: a locked term is read-only on the
// buyer's own page and refused by the server (buyers/self-service.ts).
import { SELF_SERVICE_FIELDS, type SelfServiceField } from "@leadflow/engine";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { SELF_SERVICE_FIELD_TEXT } from "../../labels";
import { messageOf, useTRPC } from "../../trpc";

export function LockedFieldsEditor({ buyerId, locked }: { buyerId: string; locked: readonly string[] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [fields, setFields] = useState<SelfServiceField[]>(SELF_SERVICE_FIELDS.filter((f) => locked.includes(f)));
  const [saved, setSaved] = useState(false);
  const m = useMutation(
    trpc.buyers.setLockedFields.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await qc.invalidateQueries(trpc.buyers.pathFilter());
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    m.mutate({ id: buyerId, fields });
  }
  return (
    <form onSubmit={submit} aria-labelledby={`locks-${buyerId}`}>
      <fieldset className="choices">
        <legend id={`locks-${buyerId}`}>Terms the buyer may not change itself</legend>
        {SELF_SERVICE_FIELDS.map((f) => (
          <label key={f} className="choice">
            <input
              type="checkbox"
              checked={fields.includes(f)}
              onChange={(e) => {
                setSaved(false);
                setFields(e.target.checked ? [...fields, f] : fields.filter((x) => x !== f));
              }}
            />{" "}
            {SELF_SERVICE_FIELD_TEXT[f]}
          </label>
        ))}
      </fieldset>
      {m.error ? (
        <p className="error" role="alert">
          {messageOf(m.error)}
        </p>
      ) : null}
      <p role="status" aria-live="polite">
        {saved ? "Locks saved." : ""}
      </p>
      <button type="submit" disabled={m.isPending}>
        Save locks
      </button>
    </form>
  );
}
