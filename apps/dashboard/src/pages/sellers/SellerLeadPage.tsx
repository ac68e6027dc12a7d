// One of a seller's leads, as the seller may see it: what it sent, what became of it, what it
// earned, its returns, and the story in order (received, pinged and posted, sold or unsold and
// why, the payout, returns and reversals). Never a buyer's name, a bid or what a buyer paid: the
// server builds this view field by field (packages/api/src/sellers/portal.ts).
import type { AppRouter } from "@leadflow/api";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { Link, useParams } from "react-router";
import {
  EMAIL_CHECK_TEXT,
  labelOf,
  LEAD_STATUS_TEXT,
  LOST_REASON_TEXT,
  PHONE_CHECK_TEXT,
  PHONE_LINE_TYPE_TEXT,
  RETURN_REASON_TEXT,
  RETURN_STATUS_TEXT,
  UNSOLD_REASON_TEXT,
} from "../../labels";
import { messageOf, useTRPC } from "../../trpc";
import { money, sellerTime } from "./portal-format";

type Lead = inferRouterOutputs<AppRouter>["sellerPortal"]["lead"];
type Entry = Lead["timeline"][number];

function entryText(e: Entry, timeZone: string): string {
  switch (e.kind) {
    case "received":
      return "LeadFlow received the lead.";
    case "pinged":
      return e.accepted
        ? `You pinged it first: accepted, payout offered ${money(e.payoutCents)}${e.expiresAt ? `, held until ${sellerTime(e.expiresAt, timeZone)}` : ""}.`
        : "You pinged it first: not accepted (no bid paid enough).";
    case "posted":
      return "You posted the full lead for that ping.";
    case "sold":
      return "Sold.";
    case "unsold":
      return `Unsold: ${e.unsoldReason ? UNSOLD_REASON_TEXT[e.unsoldReason] : "no reason recorded"}.`;
    case "rejected":
      return "Rejected at intake.";
    case "payout":
      return `Payout booked: ${money(e.amountCents)}.`;
    case "return_requested":
      return `A buyer asked to return it: ${labelOf(RETURN_REASON_TEXT, e.reason)}.`;
    case "return_decided":
      return `Return ${labelOf(RETURN_STATUS_TEXT, e.status).toLowerCase()}.`;
    case "payout_reversed":
      return `Payout reversed by the return: ${money(e.amountCents)}.`;
  }
}

export function SellerLeadPage() {
  const { id = "" } = useParams();
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.sellerPortal.lead.queryOptions({ id }),
    // Until it settles, look again now and then (the live stream also refreshes it).
    refetchInterval: (query) => {
      const s = query.state.data?.status;
      return s === "RECEIVED" || s === "PROCESSING" ? 2000 : false;
    },
  });
  const l = q.data;
  const at = (iso: string | null) => sellerTime(iso, l?.timeZone ?? "UTC");
  return (
    <section aria-labelledby="seller-lead-title">
      <p>
        <Link to="/leads">← Your leads</Link>
      </p>
      <h1 id="seller-lead-title">Lead {l?.externalId ?? id.slice(0, 8)}</h1>
      {q.isPending ? <p role="status">Loading…</p> : null}
      {q.isError ? (
        <p className="error" role="alert">
          {messageOf(q.error) ?? "This lead could not be loaded."}
        </p>
      ) : null}
      {l ? (
        <>
          <p className="hint" data-testid="seller-time-zone">
            Times in {l.timeZone}.
          </p>
          <dl className="facts">
            <dt>Status</dt>
            <dd data-testid="lead-status">
              {LEAD_STATUS_TEXT[l.status]}
              {l.unsoldReason ? `: ${UNSOLD_REASON_TEXT[l.unsoldReason]}` : ""}
            </dd>
            <dt>Earned</dt>
            <dd data-testid="lead-earned">
              {money(l.earnedCents)}
              {l.reversedCents !== 0 ? ` (payout ${money(l.paidCents)}, reversed ${money(l.reversedCents)})` : ""}
            </dd>
            <dt>Lead id</dt>
            <dd>
              <code>{l.id}</code>
            </dd>
            <dt>Your external id</dt>
            <dd>{l.externalId ?? "—"}</dd>
            <dt>Vertical, ZIP</dt>
            <dd>
              {l.vertical}, {l.zip}
              {l.state ? ` (${l.state})` : ""}
            </dd>
            <dt>Received</dt>
            <dd>{at(l.receivedAt)}</dd>
            <dt>Settled</dt>
            <dd>{at(l.finishedAt)}</dd>
            <dt>You sent</dt>
            <dd>
              {[l.sent.firstName, l.sent.lastName].filter(Boolean).join(" ") || "—"}
              {l.sent.email ? `, ${l.sent.email}` : ""}
              {l.sent.phone ? `, ${l.sent.phone}` : ""}
              {l.sent.customFields ? `, ${l.sent.customFields} custom field(s)` : ""}
            </dd>
            <dt>Phone check</dt>
            <dd data-testid="phone-check">
              {l.validation
                ? `${PHONE_CHECK_TEXT[l.validation.phone]}${
                    l.validation.phoneLineType ? ` (${labelOf(PHONE_LINE_TYPE_TEXT, l.validation.phoneLineType)})` : ""
                  }`
                : "not checked"}
            </dd>
            <dt>Email check</dt>
            <dd data-testid="email-check">{l.validation ? EMAIL_CHECK_TEXT[l.validation.email] : "not checked"}</dd>
          </dl>
          <h2>Why buyers passed on it</h2>
          {l.screened.length === 0 ? (
            <p>No buyer turned this lead down for its contact checks or consent evidence.</p>
          ) : (
            <ul data-testid="screened">
              {l.screened.map((r, i) => (
                <li key={i}>
                  <strong>{LOST_REASON_TEXT[r.reason]}</strong>
                  {r.detail ? ` — ${r.detail}` : ""}
                </li>
              ))}
            </ul>
          )}
          <h2>What happened</h2>
          {l.timeline.length === 0 ? <p>Nothing recorded yet.</p> : null}
          <ol className="timeline" aria-label="Timeline">
            {l.timeline.map((e, i) => (
              <li key={i}>
                <time dateTime={e.at}>{at(e.at)}</time> {entryText(e, l.timeZone)}
              </li>
            ))}
          </ol>
          <h2>Returns</h2>
          {l.returns.length === 0 ? (
            <p>No buyer has returned this lead.</p>
          ) : (
            <ul>
              {l.returns.map((r) => (
                <li key={r.id}>
                  {labelOf(RETURN_REASON_TEXT, r.reason)}: {labelOf(RETURN_STATUS_TEXT, r.status)} (asked{" "}
                  {at(r.requestedAt)}
                  {r.decidedAt ? `, decided ${at(r.decidedAt)}` : ""})
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
