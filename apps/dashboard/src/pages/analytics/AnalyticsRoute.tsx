// recharts is large; only admins opening an analytics page download it. While the page's chunk
// (and recharts) downloads, its data is already being fetched: the same query options the page
// uses, so the page finds them in the cache instead of asking only after its code arrived.
import { useQueryClient } from "@tanstack/react-query";
import { Suspense, useEffect } from "react";
import { lazyChunk } from "../../components/lazyChunk";
import { useTRPC } from "../../trpc";
import { useFilters } from "./filters";

const PAGES = {
  lost: lazyChunk(() => import("./LostReasonsAnalytics").then((m) => m.LostReasonsAnalytics)),
  buyers: lazyChunk(() => import("./BuyersAnalytics").then((m) => m.BuyersAnalytics)),
  revenue: lazyChunk(() => import("./RevenueAnalytics").then((m) => m.RevenueAnalytics)),
  marketplace: lazyChunk(() => import("./MarketplaceAnalytics").then((m) => m.MarketplaceAnalytics)),
};

type PageKey = keyof typeof PAGES;

/** Starts the page's queries now, keyed exactly as the page asks for them. */
function usePrefetch(page: PageKey) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [input] = useFilters();
  const key = JSON.stringify(input);
  useEffect(() => {
    const i = JSON.parse(key) as typeof input;
    const a = trpc.analytics;
    // The filter bar's choices (the marketplace page shows days only).
    if (page !== "marketplace") void qc.prefetchQuery(a.options.queryOptions());
    if (page === "lost") void qc.prefetchQuery(a.lostReasons.queryOptions(i));
    else if (page === "buyers") void qc.prefetchQuery(a.buyerPerformance.queryOptions(i));
    else if (page === "revenue") {
      void qc.prefetchQuery(a.revenue.queryOptions(i));
      void qc.prefetchQuery(a.deliveries.queryOptions(i));
    } else void qc.prefetchQuery(a.marketplace.queryOptions({ from: i.from, to: i.to }));
  }, [trpc, qc, page, key]);
}

export function AnalyticsRoute({ page }: { page: PageKey }) {
  usePrefetch(page);
  const Page = PAGES[page];
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <Page />
    </Suspense>
  );
}
