// A buyer's returns (contractor or network): the leads it may still return, each with a "Return
// this lead" form, what it has been credited, its past requests and its return rates.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { money, when } from "../auction/format";
import type { ReturnReason as Reason } from "@leadflow/engine";
import { RETURN_REASON_TEXT, RETURN_REASONS as REASONS } from "../../labels";
import { RatesTables } from "./RatesTables";
import { ReturnsList } from "./ReturnsList";

export function BuyerReturnsPage() {
  const trpc = useTRPC();
  const balance = useQuery(trpc.returns.balance.queryOptions());
  const returnable = useQuery(trpc.returns.returnable.queryOptions());
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section>
      <h1>Returns</h1>
      <p>
        Bought a bad lead? Return it within your return window and, once approved, you are credited what you paid.
        Duplicates and phone numbers that fail validation are approved at once; other reasons are approved within your
        monthly allowance and otherwise checked by an admin.
      </p>
      <div className="card summary-card" data-testid="credit-balance">
        <h2>Credited to you</h2>
        {balance.isPending ? (
          <p>Loading…</p>
        ) : balance.isError ? (
          <p className="error" role="alert">
            {messageOf(balance.error)}
          </p>
        ) : (
          <p>
            <strong>{money(balance.data.creditedCents)}</strong> for {balance.data.credits} returned lead
            {balance.data.credits === 1 ? "" : "s"}
          </p>
        )}
      </div>
      <Allowances />
      {done ? (
        <p className="notice" role="status" data-testid="return-result">
          {done}
        </p>
      ) : null}
      <h2>Leads you can return</h2>
      {returnable.isPending ? <p>Loading…</p> : null}
      {returnable.isError ? (
        <p className="error" role="alert">
          {messageOf(returnable.error)}
        </p>
      ) : null}
      {returnable.data?.length === 0 ? <p>No lead you bought is inside its return window.</p> : null}
      <ul className="cards">
        {returnable.data?.map((l) => (
          <li key={`${l.leadId}-${l.buyerId}`} className="card" data-testid="returnable-lead">
            <h3>
              <Link to={`/leads/${l.leadId}`}>
                {l.name} · {l.vertical} · {l.zip}
              </Link>
            </h3>
            <p className="hint">
              {l.buyer} paid {money(l.priceCents)} on {when(l.soldAt)} · return by {when(l.windowEndsAt)}
            </p>
            {open === `${l.leadId}-${l.buyerId}` ? (
              <ReturnForm
                leadId={l.leadId}
                buyerId={l.buyerId}
                onCancel={() => setOpen(null)}
                onDone={(text) => {
                  setOpen(null);
                  setDone(text);
                }}
              />
            ) : (
              <button type="button" onClick={() => setOpen(`${l.leadId}-${l.buyerId}`)}>
                Return this lead
              </button>
            )}
          </li>
        ))}
      </ul>
      <h2>Your returns</h2>
      <ReturnsList caption="Your return requests" />
      <h2>Your return rate</h2>
      <RatesTables />
    </section>
  );
}

function ReturnForm({
  leadId,
  buyerId,
  onCancel,
  onDone,
}: {
  leadId: string;
  buyerId: string;
  onCancel: () => void;
  onDone: (text: string) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const id = useId();
  const [reason, setReason] = useState<Reason | "">("");
  const [comment, setComment] = useState("");
  const send = useMutation(
    trpc.returns.request.mutationOptions({
      onSuccess: async (r) => {
        await Promise.all([
          qc.invalidateQueries(trpc.returns.pathFilter()),
          qc.invalidateQueries(trpc.auctionInsights.pathFilter()),
        ]);
        onDone(
          r.status === "APPROVED"
            ? `Return approved: ${money(r.creditedCents)} credited to you.`
            : "Return received: it is past your monthly allowance, so an admin will decide. You will see the answer here.",
        );
      },
    }),
  );
  const errors = fieldErrorsOf(send.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason) return;
    send.mutate({ leadId, buyerId, reason, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  };
  const general = send.error && !errors.comment && !errors.reason ? messageOf(send.error) : null;
  return (
    <form onSubmit={submit} aria-label="Return this lead">
      <div className="field">
        <label htmlFor={`${id}-reason`}>Why are you returning it?</label>
        <select
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value as Reason | "")}
          required
          aria-invalid={errors.reason ? true : undefined}
        >
          <option value="">Choose a reason</option>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {RETURN_REASON_TEXT[r]}
            </option>
          ))}
        </select>
        {errors.reason ? (
          <p className="error" role="alert">
            {errors.reason.join(" ")}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-comment`}>Comment {reason === "OTHER" ? "(required)" : "(optional)"}</label>
        <textarea
          id={`${id}-comment`}
          rows={3}
          maxLength={1000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          required={reason === "OTHER"}
          aria-invalid={errors.comment ? true : undefined}
          aria-describedby={errors.comment ? `${id}-comment-err` : undefined}
        />
        {errors.comment ? (
          <p className="error" id={`${id}-comment-err`} role="alert">
            {errors.comment.join(" ")}
          </p>
        ) : null}
      </div>
      {general ? (
        <p className="error" role="alert">
          {general}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={send.isPending || !reason}>
          {send.isPending ? "Sending…" : "Send return request"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The buyer's terms and how much of this month's allowance is used, so a held request is no surprise. */
function Allowances() {
  const trpc = useTRPC();
  const list = useQuery(trpc.returns.allowances.queryOptions());
  if (list.isPending) return null;
  if (list.isError)
    return (
      <p className="error" role="alert">
        {messageOf(list.error)}
      </p>
    );
  return (
    <ul className="hint" data-testid="allowances">
      {list.data.map((a) => (
        <li key={a.buyerId}>
          {a.buyer}: return within {a.windowDays} day{a.windowDays === 1 ? "" : "s"} of the sale; {a.capPercent}% of
          this month's {a.purchases} lead{a.purchases === 1 ? "" : "s"} = {a.allowed} return{a.allowed === 1 ? "" : "s"}{" "}
          without review, {a.used} used.
        </li>
      ))}
    </ul>
  );
}
