// The DJ's home is their inbox: offers with the time left to answer, accepted leads with the
// contact unlock, and tips on getting more offers (advice, never formulas).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { OFFER_OUTCOME_LABELS } from "../labels";
import { OfferCard } from "../pages/marketplace/OfferCard";
import { messageOf, useTRPC } from "../trpc";

export function DjHome() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const profile = useQuery(trpc.marketDj.profile.queryOptions());
  // New offers arrive over the live stream (useLiveInvalidate in Layout); the slow poll is only a
  // fallback for a network that drops event streams.
  const inbox = useQuery({ ...trpc.marketDj.inbox.queryOptions(), refetchInterval: 300_000 });
  const refresh = () => qc.invalidateQueries(trpc.marketDj.pathFilter());
  const respond = useMutation(trpc.marketDj.respond.mutationOptions({ onSettled: refresh }));
  const unlock = useMutation(trpc.marketDj.unlock.mutationOptions({ onSettled: refresh }));
  const booked = useMutation(trpc.marketDj.markBooked.mutationOptions({ onSettled: refresh }));
  if (profile.isError)
    return (
      <p className="error" role="alert">
        {messageOf(profile.error)}
      </p>
    );
  const items = inbox.data?.items ?? [];
  // The server's clock decides windows; keep the countdown on it, whatever this device's clock says.
  const offsetMs = inbox.data ? new Date(inbox.data.now).getTime() - inbox.dataUpdatedAt : 0;
  const open = items.filter(
    (i) => i.status === "offered" && new Date(i.windowEndsAt).getTime() > inbox.dataUpdatedAt + offsetMs,
  );
  const accepted = items.filter((i) => i.status === "accepted");
  // Offers that closed before this DJ answered, with the reason (another DJ, the window): the last 10.
  const withdrawn = items
    .filter((i) => i.outcome === "taken" || i.outcome === "window_ended" || i.outcome === "closed")
    .slice(0, 10);
  const error = respond.error ?? unlock.error ?? booked.error;
  return (
    <section>
      <h1>Your lead inbox</h1>
      {profile.data ? (
        <p>
          {profile.data.name}, {profile.data.city}.{" "}
          <strong data-testid="credit-balance">{profile.data.credits} credits</strong> ·{" "}
          <Link to="/credits">Buy credits</Link> · <Link to="/calendar">Calendar and prices</Link>
          {profile.data.isSuspended ? (
            <span className="danger"> Your profile is suspended; you won't be offered leads.</span>
          ) : null}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {messageOf(error)}
        </p>
      ) : null}
      <h2>New offers</h2>
      {inbox.isPending ? (
        <p>Loading…</p>
      ) : open.length === 0 ? (
        <p>No open offers right now. We'll show them here as they come in.</p>
      ) : null}
      <ul className="cards" aria-label="New offers">
        {open.map((i) => (
          <OfferCard
            key={i.leadId}
            item={i}
            offsetMs={offsetMs}
            busy={respond.isPending}
            onAnswer={(action, quoteDollars, message) =>
              respond.mutate({ leadId: i.leadId, action, quoteDollars, message })
            }
          />
        ))}
      </ul>
      <h2>Accepted leads</h2>
      {accepted.length === 0 ? <p>Leads you accept appear here.</p> : null}
      <ul className="cards" aria-label="Accepted leads">
        {accepted.map((i) => (
          <OfferCard
            key={i.leadId}
            item={i}
            offsetMs={offsetMs}
            busy={unlock.isPending || booked.isPending}
            credits={profile.data?.credits}
            onUnlock={() => unlock.mutate({ leadId: i.leadId })}
            onBooked={() =>
              booked.mutate({
                leadId: i.leadId,
                bookingValueDollars: i.quoteCents == null ? null : Math.round(i.quoteCents / 100),
              })
            }
          />
        ))}
      </ul>
      <h2>Withdrawn offers</h2>
      {withdrawn.length === 0 ? <p>Offers that close before you answer are listed here with the reason.</p> : null}
      <ul className="cards" aria-label="Withdrawn offers">
        {withdrawn.map((i) => (
          <li key={i.leadId} className="card" data-testid="withdrawn-offer">
            <p>
              <strong>{OFFER_OUTCOME_LABELS[i.outcome]}</strong>
            </p>
            <p>
              {i.city} · {i.eventDate}
            </p>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/notifications">How you hear of new offers</Link>
      </p>
      <h2>Getting more offers</h2>
      <ul>
        {profile.data?.tips.map((t) => (
          <li key={t.id}>{t.text}</li>
        ))}
      </ul>
    </section>
  );
}
