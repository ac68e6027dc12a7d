import { useQueryClient, type QueryFilters } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "./trpc";

type Kind = "lead" | "offer" | "delivery" | "return";
const KINDS: readonly Kind[] = ["lead", "offer", "delivery", "return"];

/** Waits before reconnecting after the stream is refused or drops: doubling, at most 30 s. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** Events during an auction come in bursts: one refetch per burst. */
const BATCH_MS = 200;

/**
 * Keeps the signed-in dashboard current: GET /api/live says which kind of thing changed (only ids,
 * filtered on the server by role and organisation) and the matching queries refetch through the
 * usual access-checked procedures (docs/architecture.md, "Live updates"). Mounted once, in Layout.
 */
export function useLiveInvalidate(): void {
  const trpc = useTRPC();
  const qc = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const filters: Record<Kind, QueryFilters[]> = {
      // insight: the admin's lead timeline (/leads/:id for an admin), which lists the same rows.
      lead: [
        trpc.leads.pathFilter(),
        trpc.auctionInsights.pathFilter(),
        trpc.search.pathFilter(),
        trpc.sellerPortal.pathFilter(),
        trpc.insight.timeline.pathFilter(),
      ],
      // The lead page's deliveries, the buyer's activity, and the Outbox (a lead's email is a delivery).
      delivery: [
        trpc.leads.pathFilter(),
        trpc.auctionInsights.pathFilter(),
        trpc.email.pathFilter(),
        trpc.insight.timeline.pathFilter(),
      ],
      // Returns pages on both sides, the lead (its return), the seller's portal, and the billing
      // ledger and balance a credit changes.
      return: [
        trpc.returns.pathFilter(),
        trpc.leads.pathFilter(),
        trpc.sellerPortal.pathFilter(),
        trpc.billing.pathFilter(),
        trpc.insight.timeline.pathFilter(),
      ],
      offer: [trpc.marketDj.pathFilter(), trpc.marketAdmin.pathFilter(), trpc.insight.timeline.pathFilter()],
    };
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let flush: ReturnType<typeof setTimeout> | undefined;
    let delay = FIRST_RETRY_MS;
    let missed = false;
    let stopped = false;
    const pending = new Set<Kind>();

    const refetch = () => {
      flush = undefined;
      const seen = new Set<QueryFilters>();
      for (const kind of pending) for (const f of filters[kind]) seen.add(f);
      pending.clear();
      for (const f of seen) void qc.invalidateQueries(f);
    };
    const mark = (kinds: readonly Kind[]) => {
      for (const k of kinds) pending.add(k);
      flush ??= setTimeout(refetch, BATCH_MS);
    };
    const connect = () => {
      source = new EventSource("/api/live", { withCredentials: true });
      source.onopen = () => {
        delay = FIRST_RETRY_MS;
        // Whatever changed while the stream was down was not announced.
        if (missed) mark(KINDS);
        missed = false;
      };
      source.addEventListener("change", (e) => {
        const kind = (JSON.parse((e as MessageEvent<string>).data) as { kind?: string }).kind;
        if (KINDS.includes(kind as Kind)) mark([kind as Kind]);
      });
      source.onerror = () => {
        missed = true;
        // The browser retries a dropped stream by itself; a refused one (401, 503) it gives up on.
        if (source?.readyState !== EventSource.CLOSED || stopped) return;
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(retry);
      clearTimeout(flush);
    };
  }, [trpc, qc]);
}
