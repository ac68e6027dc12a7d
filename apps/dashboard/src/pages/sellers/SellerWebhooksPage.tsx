// A lead seller's status webhooks: the URL LeadFlow tells of each lead's outcome (lead.sold,
// lead.unsold, lead.returned), the signing secret (shown once, on the first save and on each
// rotation), a test event, and the recent deliveries with their attempts and last error.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { dateTime } from "../../format/time";
import { labelOf, SELLER_EVENT_TYPE_TEXT, WEBHOOK_DELIVERY_STATUS_TEXT } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";

export function SellerWebhooksPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const hook = useQuery(trpc.sellerWebhooks.get.queryOptions());
  const deliveries = useQuery({
    ...trpc.sellerWebhooks.deliveries.queryOptions(),
    // While an event waits or retries, the list follows it.
    refetchInterval: (q) =>
      (q.state.data ?? []).some((d) => d.status === "pending" || d.status === "failed") ? 3000 : false,
  });
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    if (hook.data) setUrl((u) => u || hook.data!.url);
  }, [hook.data]);
  const invalidate = () => qc.invalidateQueries(trpc.sellerWebhooks.pathFilter());
  const save = useMutation(
    trpc.sellerWebhooks.save.mutationOptions({
      onSuccess: async (r) => {
        if (r.secret) setSecret(r.secret);
        setNote("Webhook URL saved.");
        await invalidate();
      },
    }),
  );
  const rotate = useMutation(
    trpc.sellerWebhooks.rotateSecret.mutationOptions({
      onSuccess: async (r) => {
        setSecret(r.secret);
        setNote("A new signing secret is in use from now on.");
        await invalidate();
      },
    }),
  );
  const test = useMutation(
    trpc.sellerWebhooks.sendTest.mutationOptions({
      onSuccess: async () => {
        setNote("Test event sent: it is the first row below.");
        await invalidate();
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    setNote(null);
    save.mutate({ url });
  }
  // A refused URL is said beside the field; anything else that went wrong, under the buttons.
  const urlErrors = fieldErrorsOf(save.error).url ?? (save.error ? [messageOf(save.error) ?? ""] : undefined);
  const failure = messageOf(rotate.error) ?? messageOf(test.error);
  return (
    <section>
      <h1>Webhooks</h1>
      <p>
        LeadFlow tells your system of each lead's outcome: <code>lead.sold</code> (with what you earned),{" "}
        <code>lead.unsold</code> (with the reason) and <code>lead.returned</code> (with the payout taken back). Each
        request is signed the Standard Webhooks way (<code>webhook-id</code>, <code>webhook-timestamp</code>,{" "}
        <code>webhook-signature</code>) and retried for about 40 minutes until your endpoint answers 2xx; drop repeats
        by their <code>webhook-id</code>.
      </p>
      {hook.isError ? (
        <p className="error" role="alert">
          {messageOf(hook.error)}
        </p>
      ) : null}
      <form onSubmit={submit} className="inline-form" noValidate>
        <Field
          label="Webhook URL"
          type="url"
          inputMode="url"
          autoComplete="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          errors={urlErrors}
          hint="A public https:// address of your system. Private and internal addresses are refused."
        />
        <button type="submit" className="primary" disabled={save.isPending}>
          Save URL
        </button>
      </form>
      {secret ? (
        <div className="notice" role="status">
          <p>
            <strong>Copy this signing secret now.</strong> It is shown once. Verify each request with it (see the API
            guide).
          </p>
          <code className="secret" data-testid="webhook-secret">
            {secret}
          </code>
        </div>
      ) : null}
      {note && !secret ? (
        <p className="notice" role="status">
          {note}
        </p>
      ) : null}
      {failure ? (
        <p className="error" role="alert">
          {failure}
        </p>
      ) : null}
      {hook.data ? (
        <>
          <p>Events go to:</p>
          <code className="secret">{hook.data.url}</code>
          <p>Signing secret last changed {dateTime(hook.data.secretRotatedAt)}.</p>
          <div className="actions">
            <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
              Send test event
            </button>
            <button type="button" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
              Rotate secret
            </button>
          </div>
        </>
      ) : hook.isSuccess ? (
        <p>No webhook yet: save a URL to start receiving events.</p>
      ) : null}
      <h2>Recent deliveries</h2>
      {deliveries.isPending ? (
        <p>Loading…</p>
      ) : deliveries.isError ? (
        <p className="error" role="alert">
          {messageOf(deliveries.error)}
        </p>
      ) : (
        <DataTable
          caption="Recent webhook deliveries"
          rows={deliveries.data}
          rowKey={(d) => d.id}
          rowProps={(d) => ({ "data-testid": "webhook-delivery", "data-event": d.eventType })}
          empty="Nothing sent yet."
          columns={[
            {
              key: "event",
              header: "Event",
              rowHeader: true,
              cell: (d) => labelOf(SELLER_EVENT_TYPE_TEXT, d.eventType),
            },
            {
              key: "lead",
              header: "Your lead",
              cell: (d) => d.externalId ?? (d.leadId ? `${d.leadId.slice(0, 8)}…` : "—"),
            },
            { key: "status", header: "Status", cell: (d) => labelOf(WEBHOOK_DELIVERY_STATUS_TEXT, d.status) },
            { key: "attempts", header: "Attempts", numeric: true, cell: (d) => d.attempts },
            {
              key: "when",
              header: "Last attempt",
              cell: (d) =>
                d.status === "failed" && d.nextAttemptAt
                  ? `${dateTime(d.lastAttemptAt)} (next ${dateTime(d.nextAttemptAt)})`
                  : dateTime(d.lastAttemptAt),
            },
            { key: "error", header: "Last error", cell: (d) => d.lastError ?? "—" },
            { key: "id", header: "webhook-id", cell: (d) => <code className="wrap-anywhere">{d.webhookId}</code> },
          ]}
        />
      )}
    </section>
  );
}
