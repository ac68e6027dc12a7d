// Where a one-tap link from an offer's message lands (/offer?t=…), after sign-in: the server checks
// the link's signature, expiry and user, and the page shows that one offer to answer, or says
// plainly why the link does not open it (expired, changed, another account, the offer closed).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { OFFER_OUTCOME_LABELS } from "../../labels";
import { messageOf, useTRPC } from "../../trpc";
import { OfferCard } from "./OfferCard";

export function OfferLinkPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const token = params.get("t") ?? "";
  const link = useQuery({ ...trpc.djNotify.openLink.queryOptions({ token }), enabled: token !== "", retry: false });
  const inbox = useQuery({ ...trpc.marketDj.inbox.queryOptions(), enabled: link.isSuccess });
  const respond = useMutation(
    trpc.marketDj.respond.mutationOptions({ onSettled: () => qc.invalidateQueries(trpc.marketDj.pathFilter()) }),
  );
  const back = (
    <p>
      <Link to="/">Go to your inbox</Link>
    </p>
  );
  if (!token)
    return (
      <section>
        <h1>Open an offer</h1>
        <p role="alert">This link is not complete. Open the offer from your inbox instead.</p>
        {back}
      </section>
    );
  if (link.isError)
    return (
      <section>
        <h1>This link does not open an offer</h1>
        <p className="error" role="alert" data-testid="link-problem">
          {messageOf(link.error)}
        </p>
        {back}
      </section>
    );
  if (link.isPending || inbox.isPending) return <p>Loading…</p>;
  const item = inbox.data?.items.find((i) => i.leadId === link.data.leadId);
  const offsetMs = inbox.data ? new Date(inbox.data.now).getTime() - inbox.dataUpdatedAt : 0;
  return (
    <section>
      <h1>Your offer</h1>
      {!item ? (
        <p role="alert">This offer is no longer in your inbox.</p>
      ) : (
        <>
          <p role="status" data-testid="offer-outcome">
            {OFFER_OUTCOME_LABELS[item.outcome]}
          </p>
          {respond.error ? (
            <p className="error" role="alert">
              {messageOf(respond.error)}
            </p>
          ) : null}
          <ul className="cards" aria-label="The offer">
            <OfferCard
              item={item}
              offsetMs={offsetMs}
              busy={respond.isPending}
              {...(item.outcome === "open"
                ? {
                    onAnswer: (action: "accepted" | "declined", quoteDollars: number | null, message: string | null) =>
                      respond.mutate({ leadId: item.leadId, action, quoteDollars, message }),
                  }
                : {})}
            />
          </ul>
        </>
      )}
      {back}
    </section>
  );
}
