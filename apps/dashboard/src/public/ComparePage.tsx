import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { messageOf, useTRPC } from "../trpc";
import { EVENT_TYPE_LABELS } from "../labels";
import { LeadThread } from "../pages/marketplace/LeadThread";
import { usd } from "./PublicRoutes";

function CallLink({ name, number }: { name: string; number: string }) {
  return (
    <p>
      Call {name}: <a href={`tel:${number}`}>{number}</a>
    </p>
  );
}

/**
 * The couple's private page (the link in their emails): DJs who answered, with quotes and
 * messages, never their contact details; a thread with each, and the choice of one to book.
 */
export function ComparePage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { token = "" } = useParams();
  const page = useQuery({ ...trpc.marketPublic.comparison.queryOptions({ token }), refetchInterval: 15_000 });
  const refresh = () => qc.invalidateQueries(trpc.marketPublic.comparison.queryFilter({ token }));
  const choose = useMutation(trpc.marketPublic.choose.mutationOptions({ onSettled: refresh }));
  const send = useMutation(trpc.marketPublic.sendMessage.mutationOptions({ onSettled: refresh }));
  const [confirming, setConfirming] = useState<string | null>(null);
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
  const { lead, responses, waitingOn, bookedDjId, messages } = page.data;
  const booked = responses.find((r) => r.djId === bookedDjId);
  return (
    <section>
      <h1>Your DJ quotes</h1>
      <p>
        {EVENT_TYPE_LABELS[lead.eventType]} in {lead.city} on {lead.eventDate}. We emailed you this page's link, and
        email you again at each new quote.
      </p>
      {booked ? (
        <p className="ok" role="status" data-testid="booked">
          You booked {booked.djName}. They will be in touch; the other DJs have been told.
        </p>
      ) : (
        <p role="status" aria-live="polite">
          {responses.length === 0
            ? "No DJ has answered yet."
            : `${responses.length} DJ${responses.length === 1 ? " has" : "s have"} answered.`}
          {waitingOn > 0 ? ` Waiting on ${waitingOn} more.` : ""}
          {lead.state === "concierge" ? " Our team is finding a DJ for you by hand." : ""}
        </p>
      )}
      {choose.error ? (
        <p className="error" role="alert">
          {messageOf(choose.error)}
        </p>
      ) : null}
      <ul className="cards" aria-label="Quotes">
        {responses.map((r) => (
          <li key={r.djId} className="card" aria-label={r.djName}>
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
            {bookedDjId === r.djId ? (
              <p className="ok">Booked.</p>
            ) : bookedDjId ? null : confirming === r.djId ? (
              <div className="actions" role="group" aria-label={`Book ${r.djName}?`}>
                <p>
                  Book {r.djName}
                  {r.quoteCents != null ? ` for ${usd(r.quoteCents)}` : ""}? The other DJs will be told you chose
                  someone else.
                </p>
                <button
                  type="button"
                  className="primary"
                  disabled={choose.isPending}
                  onClick={() => choose.mutate({ token, djId: r.djId }, { onSettled: () => setConfirming(null) })}
                >
                  Yes, book {r.djName}
                </button>
                <button type="button" onClick={() => setConfirming(null)}>
                  Not yet
                </button>
              </div>
            ) : (
              <button type="button" className="primary" onClick={() => setConfirming(r.djId)}>
                Choose {r.djName}
              </button>
            )}
            <LeadThread
              me="couple"
              otherName={r.djName}
              messages={messages.filter((m) => m.djId === r.djId)}
              busy={send.isPending}
              error={send.error && send.variables?.djId === r.djId ? messageOf(send.error) : null}
              closed={
                bookedDjId && bookedDjId !== r.djId ? "You booked another DJ; this conversation is closed." : null
              }
              onSend={(body) => send.mutateAsync({ token, djId: r.djId, body })}
            />
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void page.refetch()}>
        Check for new answers
      </button>
    </section>
  );
}
