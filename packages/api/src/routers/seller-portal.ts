// The `sellerPortal` router: a lead seller's figures, leads, one lead and statement, each read
// for the caller's own organisation only (packages/api/src/sellers/portal.ts). The CSV exports
// are HTTP routes in apps/server (seller-exports.ts) over the same service and filter.
import {
  sellerHomeStats,
  sellerLeadDetail,
  sellerLeadInput,
  sellerLeadsPage,
  sellerLeadsPageInput,
  sellerMonths,
  sellerVerticals,
} from "../sellers";
import { roleProcedure, router } from "../trpc";

const seller = roleProcedure("seller");

export const sellerPortalRouter = router({
  stats: seller.query(({ ctx }) => sellerHomeStats(ctx, ctx.user.orgId)),
  verticals: seller.query(({ ctx }) => sellerVerticals(ctx, ctx.user.orgId)),
  leads: seller.input(sellerLeadsPageInput).query(({ ctx, input }) => sellerLeadsPage(ctx, ctx.user.orgId, input)),
  lead: seller.input(sellerLeadInput).query(({ ctx, input }) => sellerLeadDetail(ctx, ctx.user.orgId, input.id)),
  statement: seller.query(({ ctx }) => sellerMonths(ctx, ctx.user.orgId)),
});
