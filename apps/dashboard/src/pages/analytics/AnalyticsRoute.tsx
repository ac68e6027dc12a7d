// recharts is large; only admins opening an analytics page download it.
import { Suspense } from "react";
import { lazyChunk } from "../../components/lazyChunk";

const PAGES = {
  lost: lazyChunk(() => import("./LostReasonsAnalytics").then((m) => m.LostReasonsAnalytics)),
  buyers: lazyChunk(() => import("./BuyersAnalytics").then((m) => m.BuyersAnalytics)),
  revenue: lazyChunk(() => import("./RevenueAnalytics").then((m) => m.RevenueAnalytics)),
  marketplace: lazyChunk(() => import("./MarketplaceAnalytics").then((m) => m.MarketplaceAnalytics)),
};

export function AnalyticsRoute({ page }: { page: keyof typeof PAGES }) {
  const Page = PAGES[page];
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <Page />
    </Suspense>
  );
}
