// A DJ's public profile: who they are, what they charge, and a tracking number to call (never
// the DJ's own phone, so the call is counted and attributed).
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { usd } from "../../public/PublicRoutes";
import { messageOf, useTRPC } from "../../trpc";
import { DJ_TIER_LABELS, labelOf } from "../../labels";

export function DjProfilePage() {
  const trpc = useTRPC();
  const { id = "" } = useParams();
  const profile = useQuery(trpc.calls.djProfile.queryOptions({ djId: id }, { staleTime: Infinity }));
  if (profile.isPending) return <p aria-live="polite">Loading the DJ's profile…</p>;
  if (profile.isError)
    return (
      <p className="error" role="alert">
        {messageOf(profile.error)} <Link to="/inquire">Ask DJs for quotes instead.</Link>
      </p>
    );
  const dj = profile.data;
  return (
    <section className="card">
      <h1>{dj.name}</h1>
      <p>
        <span className="role-badge">{labelOf(DJ_TIER_LABELS, dj.tier)}</span> {dj.city}, {dj.state}
      </p>
      <p>
        Usually charges {usd(dj.priceMinCents)}–{usd(dj.priceMaxCents)}.
      </p>
      {dj.trackingNumber ? (
        <p className="guidance">
          Call: <a href={`tel:${dj.trackingNumber}`}>{dj.trackingNumber}</a>
        </p>
      ) : (
        <p>This DJ takes inquiries online.</p>
      )}
      <p>
        <Link className="button-link primary" to={`/inquire?city=${encodeURIComponent(dj.city)}`}>
          Get quotes from DJs in {dj.city}
        </Link>
      </p>
    </section>
  );
}
