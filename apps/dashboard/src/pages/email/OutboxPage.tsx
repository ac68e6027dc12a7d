// The Outbox: every email LeadFlow sent or is sending. Admins see all of them with the mail
// server's full error; a buyer (or any other account) sees its own, with reasons in plain words.
// A dead email, or one whose sending was interrupted, can be sent again; the lead's timeline
// records it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import { labelOf } from "../../labels";
import { messageOf, useTRPC } from "../../trpc";
import { when } from "../auction/format";

const STATUSES = ["", "queued", "sending", "sent", "failed", "dead", "unknown", "outbox"] as const;
const STATUS_TEXT: Record<Exclude<(typeof STATUSES)[number], "">, string> = {
  outbox: "kept here (no mail server set)",
  queued: "waiting to send",
  sending: "sending",
  sent: "sent",
  failed: "failed, will retry",
  dead: "not sent",
  unknown: "interrupted, may not have arrived",
};

export function OutboxPage({ admin = false }: { admin?: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const fid = useId();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>("");
  const list = useQuery(trpc.email.outbox.queryOptions({ limit: 100, ...(status ? { status } : {}) }));
  const resend = useMutation(
    trpc.email.resend.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.email.pathFilter()) }),
  );
  return (
    <section>
      <h1>Outbox</h1>
      <p className="hint">
        {admin
          ? "Every email LeadFlow sends: lead deliveries and notices, with each attempt."
          : "The emails LeadFlow sent you, and any it could not send."}
      </p>
      <div className="field">
        <label htmlFor={`${fid}-status`}>Show</label>
        <select
          id={`${fid}-status`}
          value={status}
          onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s ? STATUS_TEXT[s] : "all emails"}
            </option>
          ))}
        </select>
      </div>
      {list.isPending ? <p>Loading…</p> : null}
      {list.isError ? (
        <p className="error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : null}
      {resend.isError ? (
        <p className="error" role="alert">
          {messageOf(resend.error)}
        </p>
      ) : null}
      {list.data?.length === 0 ? <p>No emails{status ? " with this status" : ""}.</p> : null}
      <ul className="cards">
        {list.data?.map((m) => (
          <li key={m.id} className="card" data-testid="outbox-item">
            <h2>{m.subject}</h2>
            <p>
              To {m.to || "(no address)"} · {m.kind.replace(/_/g, " ")} ·{" "}
              <strong>{labelOf(STATUS_TEXT, m.status)}</strong>
              {m.attempts ? ` after ${m.attempts} attempt${m.attempts === 1 ? "" : "s"}` : ""}
              {m.sentAt ? ` · sent ${when(m.sentAt)}` : ` · written ${when(m.createdAt)}`}
            </p>
            {m.status === "failed" && m.nextAttemptAt ? (
              <p>Email failed, retrying at {when(m.nextAttemptAt)}.</p>
            ) : null}
            {m.reason && m.status !== "failed" ? <p>{m.reason}</p> : null}
            {admin && m.error ? (
              <p className="hint">
                Mail server: <code>{m.error}</code>
              </p>
            ) : null}
            {admin && m.messageId ? (
              <p className="hint">
                Message-ID <code>{m.messageId}</code>
              </p>
            ) : null}
            <div className="actions">
              {m.leadId ? <Link to={`/leads/${m.leadId}`}>Open the lead</Link> : null}
              {m.canResend ? (
                <button
                  type="button"
                  onClick={() => resend.mutate({ id: m.id })}
                  disabled={resend.isPending}
                  aria-label={`Resend “${m.subject}” to ${m.to}`}
                >
                  Resend
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
