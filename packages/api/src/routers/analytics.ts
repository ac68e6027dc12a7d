// Admin analytics: every procedure validates the filters (zod, then known ids), then calls one
// query function of packages/api/src/analytics. Admins only; buyers have their own views.
import { listBuyerNames, listVerticalNames } from "@leadflow/db";
import { buyerPerformanceChart, deliveriesChart, lostReasonsChart, revenueChart } from "../analytics/auction";
import { analyticsFilterInput, MAX_DAYS, resolveFilters, type AnalyticsFilterInput } from "../analytics/filters";
import { marketplaceChart } from "../analytics/marketplace";
import type { Context } from "../context";
import { profitChart } from "../sellers/profit-by-source";
import { adminProcedure, router } from "../trpc";

const chart = <T>(run: (db: Context["db"], f: Awaited<ReturnType<typeof resolveFilters>>) => Promise<T>) =>
  adminProcedure
    .input(analyticsFilterInput)
    .query(async ({ ctx, input }: { ctx: Context; input: AnalyticsFilterInput }) => {
      const filters = await resolveFilters(ctx.db, ctx.clock.now(), input);
      return { filters, ...(await run(ctx.db, filters)) };
    });

export const analyticsRouter = router({
  /** What the filter controls offer. */
  options: adminProcedure.query(async ({ ctx }) => ({
    maxDays: MAX_DAYS,
    today: ctx.clock.now().toISOString().slice(0, 10),
    verticals: await listVerticalNames(ctx.db),
    buyers: await listBuyerNames(ctx.db),
  })),
  lostReasons: chart(lostReasonsChart),
  buyerPerformance: chart(buyerPerformanceChart),
  revenue: chart(revenueChart),
  deliveries: chart(deliveriesChart),
  marketplace: chart(marketplaceChart),
  /** Profit and margin by source and vertical (revenue − payouts − return credits). */
  profit: chart(profitChart),
});
