// One lead's whole story for an admin (insight.timeline): intake and validation, score, each
// buyer's or DJ's verdict, pings, the cascade, deliveries, phases and answers, calls and unlocks,
// in the order they happened. Kinds this page does not know are shown with their recorded data.
import type { AppRouter } from "@leadflow/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { Link, useParams } from "react-router";
import { DataTable } from "../../components/DataTable";
import {
  CLAIM_STAGE_TEXT,
  COMPLIANCE_REQUIREMENT_TEXT,
  CONSENT_CLAIM_STATUS_TEXT,
  DELIVERY_METHOD_TEXT,
  DELIVERY_STATUS_TEXT,
  EMAIL_CHECK_TEXT,
  LEAD_STATUS_TEXT,
  labelOf,
  PHONE_CHECK_TEXT,
  PHONE_LINE_TYPE_TEXT,
  PING_OUTCOME_TEXT,
  TRANSACTION_KIND_TEXT,
  UNSOLD_REASON_TEXT,
} from "../../labels";
import { messageOf, useTRPC } from "../../trpc";
import { EventText } from "./EventText";
import { money, ms, reasonText, STAGE_TEXT, when } from "./format";

type Timeline = inferRouterOutputs<AppRouter>["insight"]["timeline"];
type D = Record<string, unknown>;

export function TimelinePage() {
  const { id = "" } = useParams();
  const trpc = useTRPC();
  const q = useQuery(trpc.insight.timeline.queryOptions({ id }));
  if (q.isPending) return <p>Loading…</p>;
  if (q.isError)
    return (
      <p className="error" role="alert">
        {messageOf(q.error)} <Link to="/timeline">Find another lead</Link>
      </p>
    );
  const t = q.data;
  return (
    <section>
      <p>
        <Link to="/timeline">← Leads</Link>
      </p>
      {t.kind === "auction" ? <AuctionHeader t={t} /> : <MarketHeader t={t} />}
      <h2>Timeline</h2>
      <ol className="timeline" aria-label="Timeline">
        {t.entries.map((e) => (
          <li key={e.id} data-testid={`entry-${e.kind}`} data-stage={e.stage}>
            <time dateTime={new Date(e.at).toISOString()}>{when(e.at)}</time>{" "}
            <strong>{STAGE_TEXT[e.stage] ?? e.stage}</strong>
            {e.party ? <> · {e.party.name}</> : null} ·{" "}
            <EventText kind={e.kind} data={e.data as D} message={e.message} />
          </li>
        ))}
      </ol>
      {t.kind === "auction" ? <AuctionTables t={t} /> : <MarketTables t={t} />}
    </section>
  );
}

function AuctionHeader({ t }: { t: Extract<Timeline, { kind: "auction" }> }) {
  const l = t.lead;
  return (
    <>
      <h1>
        Lead {l.vertical} · {l.zip}
      </h1>
      <p>
        <strong
          className={l.status === "SOLD" ? "ok" : l.status === "UNSOLD" ? "danger" : undefined}
          data-testid="lead-status"
        >
          {LEAD_STATUS_TEXT[l.status]}
        </strong>
        {l.unsoldReason ? ` (${UNSOLD_REASON_TEXT[l.unsoldReason]})` : ""} · revenue{" "}
        <span data-testid="lead-revenue">{money(l.revenueCents)}</span> · {l.winnerCount} winner
        {l.winnerCount === 1 ? "" : "s"}
      </p>
      <h2>Intake and validation</h2>
      <dl className="facts">
        <dt>Received</dt>
        <dd>{when(l.receivedAt)}</dd>
        <dt>Contact</dt>
        <dd data-testid="lead-contact">
          {l.purgedAt ? (
            <>Purged {when(l.purgedAt)} (retention period ended)</>
          ) : (
            <>
              {l.contact.firstName} {l.contact.lastName}
            </>
          )}
        </dd>
        <dt>Phone (as compared for duplicates)</dt>
        <dd>{l.phoneNormalized ?? "none"}</dd>
        <dt>Email (as compared for duplicates)</dt>
        <dd>{l.emailNormalized ?? "none"}</dd>
        <dt>Contact allowed</dt>
        <dd>
          <DoNotContact leadId={l.id} />
        </dd>
        <dt>Consent evidence</dt>
        <dd>
          {[
            l.consent.trustedFormCertUrl ? "TrustedForm certificate" : null,
            l.consent.jornayaLeadId ? "Jornaya lead id" : null,
          ]
            .filter(Boolean)
            .join(", ") || "none"}
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
        <dt>Seller's id</dt>
        <dd>{l.externalId ?? "—"}</dd>
        <dt>Decided</dt>
        <dd>
          {when(l.processingAt)} → {when(l.finishedAt)}
        </dd>
      </dl>
    </>
  );
}

function MarketHeader({ t }: { t: Extract<Timeline, { kind: "market" }> }) {
  const l = t.lead;
  const parts = Object.entries(l.scoreComponents);
  return (
    <>
      <h1>
        DJ lead · {l.eventType.replace(/_/g, " ")} in {l.city} on {l.eventDate}
      </h1>
      <p>
        <strong data-testid="lead-status">{l.leadState}</strong>
        {l.conciergeReason ? ` (${l.conciergeReason.replace(/_/g, " ")})` : ""} · budget {money(l.budgetMinCents)}–
        {money(l.budgetMaxCents)} · received {when(l.createdAt)}
      </p>
      <h2>Score: {l.scoreTotal ?? "not scored"} of 100</h2>
      {parts.length === 0 ? (
        <p>Not scored yet.</p>
      ) : (
        <DataTable
          caption="Score components"
          rows={parts}
          rowKey={([k]) => k}
          rowProps={() => ({ "data-testid": "score-component" })}
          empty="Not scored yet."
          columns={[
            { key: "part", header: "Component", rowHeader: true, cell: ([k]) => k },
            { key: "points", header: "Points", numeric: true, cell: ([, v]) => v },
            { key: "why", header: "Why", cell: ([k]) => l.scoreExplanations[k] ?? "" },
          ]}
        />
      )}
    </>
  );
}

function AuctionTables({ t }: { t: Extract<Timeline, { kind: "auction" }> }) {
  return (
    <>
      <h2>Compliance receipts</h2>
      <DataTable
        caption="Compliance receipts"
        rows={t.receipts}
        rowKey={(r) => r.provider}
        rowProps={() => ({ "data-testid": "receipt-row" })}
        empty="No consent evidence was claimed for this lead."
        columns={[
          {
            key: "provider",
            header: "Evidence",
            rowHeader: true,
            cell: (r) => COMPLIANCE_REQUIREMENT_TEXT[r.provider],
          },
          {
            key: "status",
            header: "Result",
            cell: (r) => `${CONSENT_CLAIM_STATUS_TEXT[r.status]} ${CLAIM_STAGE_TEXT[r.stage]}`,
          },
          { key: "until", header: "Retained until", cell: (r) => (r.retainedUntil ? when(r.retainedUntil) : "—") },
          { key: "page", header: "Consent page", cell: (r) => r.pageUrl ?? "—" },
          {
            key: "match",
            header: "Matches the lead",
            cell: (r) => (r.matched === null ? "not reported" : r.matched ? "yes" : "no"),
          },
          {
            key: "names",
            header: "Names the buyer",
            cell: (r) => (r.namesBuyer === null ? "not checked" : r.namesBuyer ? "yes" : "no"),
          },
          { key: "why", header: "Provider's answer", cell: (r) => r.error ?? r.outcome ?? "—" },
        ]}
      />
      <h2>Every buyer's result</h2>
      <DataTable
        caption="Every buyer's result"
        rows={t.transactions}
        rowKey={(x) => x.buyerId}
        rowProps={() => ({ "data-testid": "buyer-result" })}
        empty="No buyer was considered for this lead."
        columns={[
          { key: "buyer", header: "Buyer", rowHeader: true, cell: (x) => x.buyer },
          {
            key: "ping",
            header: "Ping",
            cell: (x) =>
              `${x.pingOutcome ? labelOf(PING_OUTCOME_TEXT, x.pingOutcome) : labelOf(TRANSACTION_KIND_TEXT, x.kind)}${
                x.latencyMs != null ? ` · ${x.latencyMs} ms` : ""
              }${x.postLatencyMs != null ? ` · post ${x.postLatencyMs} ms` : ""}`,
          },
          { key: "bid", header: "Bid", numeric: true, cell: (x) => money(x.bidCents) },
          { key: "cascade", header: "Cascade", numeric: true, cell: (x) => x.cascadePosition ?? "—" },
          {
            key: "result",
            header: "Result",
            cell: (x) => (
              <span className={x.isWinner ? "ok" : "danger"}>
                {x.isWinner
                  ? `Won, pays ${money(x.priceCents)}${x.deliveryMethod ? ` by ${labelOf(DELIVERY_METHOD_TEXT, x.deliveryMethod).toLowerCase()}` : ""}`
                  : reasonText(x.lostReason)}
              </span>
            ),
          },
          { key: "detail", header: "Detail", cell: (x) => x.detail ?? "" },
        ]}
      />
      <h2>Deliveries</h2>
      {t.deliveries.length === 0 ? (
        <p>No deliveries (a network's POST is its delivery).</p>
      ) : (
        <DataTable
          caption="Deliveries"
          rows={t.deliveries}
          rowKey={(d) => d.id}
          rowProps={() => ({ "data-testid": "delivery" })}
          empty="No deliveries (a network's POST is its delivery)."
          columns={[
            { key: "buyer", header: "Buyer", rowHeader: true, cell: (d) => d.buyer },
            { key: "method", header: "Method", cell: (d) => labelOf(DELIVERY_METHOD_TEXT, d.method) },
            { key: "status", header: "Status", cell: (d) => DELIVERY_STATUS_TEXT[d.status] },
            { key: "attempts", header: "Attempts", numeric: true, cell: (d) => d.attempts },
            { key: "retries", header: "Retries", numeric: true, cell: (d) => d.retries },
            {
              key: "error",
              header: "Last error / next try",
              cell: (d) => `${d.lastError ?? ""}${d.nextAttemptAt ? ` · next ${when(d.nextAttemptAt)}` : ""}`,
            },
          ]}
        />
      )}
    </>
  );
}

function MarketTables({ t }: { t: Extract<Timeline, { kind: "market" }> }) {
  return (
    <>
      <h2>Offers and answers</h2>
      {t.offers.length === 0 ? (
        <p>No DJ was offered this lead.</p>
      ) : (
        <DataTable
          caption="Offers and answers"
          rows={t.offers}
          rowKey={(o) => o.djId}
          rowProps={() => ({ "data-testid": "offer" })}
          empty="No DJ was offered this lead."
          columns={[
            { key: "dj", header: "DJ", rowHeader: true, cell: (o) => o.dj },
            { key: "phase", header: "Phase", cell: (o) => o.phase.replace(/_/g, " ") },
            { key: "answer", header: "Answer", cell: (o) => o.status.replace(/_/g, " ") },
            { key: "offered", header: "Offered", cell: (o) => when(o.offeredAt) },
            { key: "in", header: "Answered in", numeric: true, cell: (o) => ms(o.responseTimeMs) },
            { key: "quote", header: "Quote", numeric: true, cell: (o) => money(o.quoteCents) },
          ]}
        />
      )}
      <h2>Contact unlocks</h2>
      {t.unlocks.length === 0 ? (
        <p>No DJ has unlocked the contact.</p>
      ) : (
        <ul>
          {t.unlocks.map((u) => (
            <li key={u.djId}>
              {u.dj} · {when(u.at)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The person asked to be left alone: phone and email onto the global suppression list, in one step. */
function DoNotContact({ leadId }: { leadId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const status = useQuery(trpc.compliance.leadStatus.queryOptions({ leadId }));
  const add = useMutation(
    trpc.compliance.doNotContact.mutationOptions({
      onSuccess: () => qc.invalidateQueries(trpc.compliance.pathFilter()),
    }),
  );
  if (status.isPending) return <>…</>;
  if (status.isError) return <span className="error">{messageOf(status.error)}</span>;
  if (status.data.listed)
    return (
      <span data-testid="do-not-contact-state">
        No: on the global suppression list; no buyer will be offered this person.
      </span>
    );
  if (!status.data.canList) return <>No phone or email to list.</>;
  return (
    <>
      <span data-testid="do-not-contact-state">Yes</span>{" "}
      <button type="button" disabled={add.isPending} onClick={() => add.mutate({ leadId })}>
        Do not contact
      </button>
      {add.error ? (
        <span className="error" role="alert">
          {" "}
          {messageOf(add.error)}
        </span>
      ) : null}
    </>
  );
}
