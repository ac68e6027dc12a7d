// One lead's whole story for an admin (insight.timeline): intake and validation, score, each
// buyer's or DJ's verdict, pings, the cascade, deliveries, phases and answers, calls and unlocks,
// in the order they happened. Kinds this page does not know are shown with their recorded data.
import type { AppRouter } from "@leadflow/api";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { Link, useParams } from "react-router";
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
          {l.status}
        </strong>
        {l.unsoldReason ? ` (${l.unsoldReason})` : ""} · revenue{" "}
        <span data-testid="lead-revenue">{money(l.revenueCents)}</span> · {l.winnerCount} winner
        {l.winnerCount === 1 ? "" : "s"}
      </p>
      <h2>Intake and validation</h2>
      <dl className="facts">
        <dt>Received</dt>
        <dd>{when(l.receivedAt)}</dd>
        <dt>Contact</dt>
        <dd>
          {l.contact.firstName} {l.contact.lastName}
        </dd>
        <dt>Phone (as compared for duplicates)</dt>
        <dd>{l.phoneNormalized ?? "none"}</dd>
        <dt>Email (as compared for duplicates)</dt>
        <dd>{l.emailNormalized ?? "none"}</dd>
        <dt>Consent evidence</dt>
        <dd>
          {[
            l.consent.trustedFormCertUrl ? "TrustedForm certificate" : null,
            l.consent.jornayaLeadId ? "Jornaya lead id" : null,
          ]
            .filter(Boolean)
            .join(", ") || "none"}
        </dd>
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
        <div className="table-wrap" role="region" tabIndex={0} aria-label="Score components (scrolls sideways)">
          <table>
            <caption className="sr-only">Score components</caption>
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Points</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {parts.map(([k, v]) => (
                <tr key={k} data-testid="score-component">
                  <td>{k}</td>
                  <td>{v}</td>
                  <td>{l.scoreExplanations[k] ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function AuctionTables({ t }: { t: Extract<Timeline, { kind: "auction" }> }) {
  return (
    <>
      <h2>Every buyer's result</h2>
      <div className="table-wrap" role="region" tabIndex={0} aria-label="Every buyer's result (scrolls sideways)">
        <table>
          <caption className="sr-only">Every buyer's result</caption>
          <thead>
            <tr>
              <th scope="col">Buyer</th>
              <th scope="col">Ping</th>
              <th scope="col">Bid</th>
              <th scope="col">Cascade</th>
              <th scope="col">Result</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {t.transactions.map((x) => (
              <tr key={x.buyerId} data-testid="buyer-result">
                <th scope="row">{x.buyer}</th>
                <td>
                  {x.pingOutcome ?? x.kind.toLowerCase()}
                  {x.latencyMs != null ? ` · ${x.latencyMs} ms` : ""}
                  {x.postLatencyMs != null ? ` · post ${x.postLatencyMs} ms` : ""}
                </td>
                <td>{money(x.bidCents)}</td>
                <td>{x.cascadePosition ?? "—"}</td>
                <td className={x.isWinner ? "ok" : "danger"}>
                  {x.isWinner
                    ? `Won, pays ${money(x.priceCents)}${x.deliveryMethod ? ` by ${x.deliveryMethod.toLowerCase()}` : ""}`
                    : reasonText(x.lostReason)}
                </td>
                <td>{x.detail ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Deliveries</h2>
      {t.deliveries.length === 0 ? (
        <p>No deliveries (a network's POST is its delivery).</p>
      ) : (
        <div className="table-wrap" role="region" tabIndex={0} aria-label="Deliveries (scrolls sideways)">
          <table>
            <caption className="sr-only">Deliveries</caption>
            <thead>
              <tr>
                <th scope="col">Buyer</th>
                <th scope="col">Method</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Retries</th>
                <th scope="col">Last error / next try</th>
              </tr>
            </thead>
            <tbody>
              {t.deliveries.map((d) => (
                <tr key={d.id} data-testid="delivery">
                  <th scope="row">{d.buyer}</th>
                  <td>{d.method.toLowerCase()}</td>
                  <td>{d.status}</td>
                  <td>{d.attempts}</td>
                  <td>{d.retries}</td>
                  <td>
                    {d.lastError ?? ""}
                    {d.nextAttemptAt ? ` · next ${when(d.nextAttemptAt)}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
        <div className="table-wrap" role="region" tabIndex={0} aria-label="Offers and answers (scrolls sideways)">
          <table>
            <caption className="sr-only">Offers and answers</caption>
            <thead>
              <tr>
                <th scope="col">DJ</th>
                <th scope="col">Phase</th>
                <th scope="col">Answer</th>
                <th scope="col">Offered</th>
                <th scope="col">Answered in</th>
                <th scope="col">Quote</th>
              </tr>
            </thead>
            <tbody>
              {t.offers.map((o) => (
                <tr key={o.djId} data-testid="offer">
                  <th scope="row">{o.dj}</th>
                  <td>{o.phase.replace(/_/g, " ")}</td>
                  <td>{o.status}</td>
                  <td>{when(o.offeredAt)}</td>
                  <td>{ms(o.responseTimeMs)}</td>
                  <td>{money(o.quoteCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
