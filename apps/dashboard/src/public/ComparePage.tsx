import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { Link, useParams } from "react-router";
import { messageOf, useTRPC } from "../trpc";
import { EVENT_TYPE_LABELS } from "../labels";
import { usd } from "./PublicRoutes";

function CallLink({ name, number }: { name: string; number: string }) {
  return (
    <p>
      Call {name}: <a href={`tel:${number}`}>{number}</a>
    </p>
  );
}

/** The customer's private page: DJs who answered, with quotes and messages, never their contact details. */
export function ComparePage() {
  const trpc = useTRPC();
  const { token = "" } = useParams();
  const page = useQuery({ ...trpc.marketPublic.comparison.queryOptions({ token }), refetchInterval: 15_000 });
  // Each view rotates the DJs' tracking numbers; keep the first one shown so it doesn't change under the reader.
  const numbers = useRef(new Map<string, string>());
  const numberFor = (djId: string, fresh: string | null) => {
    if (fresh && !numbers.current.has(djId)) numbers.current.set(djId, fresh);
    return numbers.current.get(djId) ?? null;
  };
  if (page.isPending) return <p aria-live="polite">Loading your quotes…</p>;
  if (page.isError)
    return (
      <p className="error" role="alert">
        {messageOf(page.error)}
      </p>
    );
  const { lead, responses, waitingOn } = page.data;
  return (
    <section>
      <h1>Your DJ quotes</h1>
      <p>
        {EVENT_TYPE_LABELS[lead.eventType]} in {lead.city} on {lead.eventDate}. Keep this page's link: it is the only
        way back here.
      </p>
      <p role="status" aria-live="polite">
        {responses.length === 0
          ? "No DJ has answered yet."
          : `${responses.length} DJ${responses.length === 1 ? " has" : "s have"} answered.`}
        {waitingOn > 0 ? ` Waiting on ${waitingOn} more.` : ""}
        {lead.state === "concierge" ? " Our team is finding a DJ for you by hand." : ""}
      </p>
      <ul className="cards" aria-label="Quotes">
        {responses.map((r) => (
          <li key={`${r.djName}-${String(r.respondedAt)}`} className="card">
            <h2>
              <Link to={`/djs/${r.djId}`}>{r.djName}</Link>
            </h2>
            <p>
              <span className="role-badge">{r.tier}</span>{" "}
              {r.quoteCents != null ? <strong>Quote: {usd(r.quoteCents)}</strong> : "No quote given yet"}
            </p>
            {r.message ? <p>“{r.message}”</p> : null}
            {numberFor(r.djId, r.trackingNumber) ? (
              <CallLink name={r.djName} number={numberFor(r.djId, r.trackingNumber)!} />
            ) : null}
            <p className="hint">The DJ will contact you directly once they unlock your details.</p>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void page.refetch()}>
        Check for new answers
      </button>
    </section>
  );
}
