// The demo's auction history: 30 days of recorded-looking leads for the demo buyers (pings,
// bids, cascades, contractor deliveries), so the admin analytics show more than today's trickle.
// Opt-in (SeedOptions.history): the demo asks for it; the browser tests' world does not, so
// their numbers stay their own.
import { resetRollups } from "@leadflow/api";
import { buyers } from "@leadflow/db";
import type { DeliveryMethod } from "@leadflow/engine";
import { generateHistory, insertHistory, type HistoryBuyer } from "../history/history";
import { DEMO_VERTICALS } from "./auction";
import type { SeedStep } from "./seed";
import { METROS } from "./world";

const LEADS = 1200;

export function analyticsHistorySeed(): SeedStep {
  return {
    name: "analytics history",
    async run(ctx) {
      const sellerOrgId = ctx.orgIds.get("seller");
      if (!sellerOrgId) return;
      const rows = await ctx.db.select().from(buyers);
      const hb: HistoryBuyer[] = rows.map((b) => ({
        id: b.id,
        type: b.type,
        verticals: b.verticals,
        minBidCents: b.minBidCents,
        pingTimeoutMs: b.pingTimeoutMs,
        deliveryMode: b.deliveryMode,
        maxSharedLeads: b.maxSharedLeads,
        priceCents: b.fixedLeadPriceCents ?? b.maxBidCents ?? 4000,
        methods: [
          b.notifyEmail ? "EMAIL" : null,
          b.notifyWebhook ? "WEBHOOK" : null,
          b.notifyDashboard ? "DASHBOARD" : null,
        ].filter((m): m is DeliveryMethod => m !== null),
      }));
      const now = Date.now();
      const history = generateHistory({
        sellerOrgId,
        buyers: hb,
        verticals: DEMO_VERTICALS,
        zips: Object.values(METROS).flatMap((m) => m.zips),
        from: new Date(now - 30 * 86_400_000),
        to: new Date(now - 2 * 3_600_000),
        leads: LEADS,
        seed: 2026,
      });
      await insertHistory(ctx.db, history, { progress: (n) => ctx.progress("analytics history", n, LEADS) });
      // The server's rollup job may already have closed these days: start the rollups over.
      await resetRollups(ctx.db);
    },
  };
}
