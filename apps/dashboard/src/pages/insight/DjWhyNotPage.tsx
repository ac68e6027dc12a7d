// A DJ's offers and what became of each: answered, missed, or taken by another DJ (never named).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { messageOf, useTRPC } from "../../trpc";
import { DJ_OUTCOME_TEXT, money, ms, when } from "./format";

export function DjWhyNotPage() {
  const trpc = useTRPC();
  const [days, setDays] = useState(30);
  const q = useQuery(trpc.insight.djWhyNot.queryOptions({ days }));
  return (
    <section>
      <h1>Your offers and what happened</h1>
      <p className="hint">
        Each lead you were offered, how you answered and how it ended. Faster answers inside the window win more
        bookings.
      </p>
      <div className="field">
        <label htmlFor="dj-days">Period</label>
        <select id="dj-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          <option value={7}>Last 7 days</option>
          <option value={30}>Last 30 days</option>
          <option value={90}>Last 90 days</option>
        </select>
      </div>
      {q.isPending ? <p>Loading…</p> : null}
      {q.isError ? (
        <p className="error" role="alert">
          {messageOf(q.error)}
        </p>
      ) : null}
      {q.data?.items.length === 0 ? <p>No offers in this period.</p> : null}
      {q.data && q.data.items.length > 0 ? (
        <ul className="cards" aria-label="Your offers">
          {q.data.items.map((r) => (
            <li key={r.leadId} className="card" data-testid="dj-offer" data-lead={r.leadId}>
              <h2>
                {r.eventType.replace(/_/g, " ")} in {r.city} on {r.eventDate}
              </h2>
              <p>
                <strong data-testid="dj-outcome">{DJ_OUTCOME_TEXT[r.outcome] ?? r.outcome}</strong>
              </p>
              <p className="hint">
                Offered {when(r.offeredAt)} in the {r.phase.replace(/_/g, " ")} phase, window until{" "}
                {when(r.windowEndsAt)}
                {r.respondedAt ? ` · answered in ${ms(r.responseTimeMs)}` : ""}
                {r.quoteCents != null ? ` · your quote ${money(r.quoteCents)}` : ""}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      <h2>Leads in your city you were not offered</h2>
      {q.data?.notOffered.length === 0 ? <p>None in this period.</p> : null}
      {q.data && q.data.notOffered.length > 0 ? (
        <ul className="cards" aria-label="Leads you were not offered">
          {q.data.notOffered.map((r) => (
            <li key={r.leadId} className="card" data-testid="dj-not-offered" data-lead={r.leadId}>
              <h3>
                {r.eventType.replace(/_/g, " ")} in {r.city} on {r.eventDate}
              </h3>
              <p>
                {r.eligible ? (
                  "You were eligible; DJs ranked above you were offered it first and it was taken before your turn."
                ) : (
                  <>
                    Not eligible: <strong>{r.reasons.map((x) => x.detail).join(" ")}</strong>
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
