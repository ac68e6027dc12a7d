// recharts is large; only admins opening an analytics page download it.
import { lazy, Suspense } from "react";

const PAGES = {
  lost: lazy(() => import("./LostReasonsAnalytics").then((m) => ({ default: m.LostReasonsAnalytics }))),
  buyers: lazy(() => import("./BuyersAnalytics").then((m) => ({ default: m.BuyersAnalytics }))),
  revenue: lazy(() => import("./RevenueAnalytics").then((m) => ({ default: m.RevenueAnalytics }))),
  marketplace: lazy(() => import("./MarketplaceAnalytics").then((m) => ({ default: m.MarketplaceAnalytics }))),
};

export function AnalyticsRoute({ page }: { page: keyof typeof PAGES }) {
  const Page = PAGES[page];
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <Page />
    </Suspense>
  );
}
