import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { DataTable } from "../components/DataTable";
import { Field } from "../components/Field";
import { dateTime } from "../format/time";
import { fieldErrorsOf, messageOf, useTRPC } from "../trpc";

/** Create, list and revoke the organisation's API keys. A new key is shown once. */
export function ApiKeysPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const [name, setName] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const invalidate = () => qc.invalidateQueries(trpc.apiKeys.pathFilter());
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: async (k) => {
        setShown(k.key);
        setName("");
        await invalidate();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: invalidate }));
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name });
  }
  return (
    <section>
      <h1>API keys</h1>
      <p>
        Systems that send leads or read results use a key. Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
        What each route takes and answers: the <a href="/api/v1/docs">API reference</a> (and its OpenAPI document,{" "}
        <a href="/api/v1/openapi.json">openapi.json</a>).
      </p>
      <form onSubmit={submit} className="inline-form" noValidate>
        <Field
          label="Key name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={fieldErrorsOf(create.error).name}
          hint="For example the system that will use it."
        />
        <button type="submit" className="primary" disabled={create.isPending}>
          Create key
        </button>
      </form>
      {shown ? (
        <div className="notice" role="status">
          <p>
            <strong>Copy this key now.</strong> It is shown once; we keep only a hash of it.
          </p>
          <code className="secret" data-testid="new-api-key">
            {shown}
          </code>
        </div>
      ) : null}
      {revoke.error ? (
        <p className="error" role="alert">
          {messageOf(revoke.error)}
        </p>
      ) : null}
      {keys.isPending ? (
        <p>Loading…</p>
      ) : keys.isError ? (
        <p className="error" role="alert">
          {messageOf(keys.error)}
        </p>
      ) : (
        <DataTable
          caption="Your API keys"
          rows={keys.data}
          rowKey={(k) => k.id}
          empty="No keys yet."
          columns={[
            { key: "name", header: "Name", cell: (k) => k.name },
            { key: "key", header: "Key", cell: (k) => <code>lf_{k.prefix}_…</code> },
            { key: "used", header: "Last used", cell: (k) => (k.lastUsedAt ? dateTime(k.lastUsedAt) : "never") },
            {
              key: "actions",
              header: null,
              label: "Actions",
              actions: true,
              cell: (k) =>
                k.revokedAt ? (
                  "revoked"
                ) : (
                  <button type="button" onClick={() => revoke.mutate({ id: k.id })} aria-label={`Revoke ${k.name}`}>
                    Revoke
                  </button>
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
