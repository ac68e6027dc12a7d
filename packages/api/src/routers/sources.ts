// The `sources` router: the admin sets each seller's terms (how long ping bids are held, the
// return window, the time zone, payout rules per vertical); a seller reads its own, never
// another's, and may set its own time zone (as it sets its own webhook), never another's.
import {
  listSellerSources,
  payoutRuleInput,
  removePayoutRule,
  removeRuleInput,
  sellerTimeZoneInput,
  setOwnTimeZone,
  setPayoutRule,
  setSourceSettings,
  sourceSettingsInput,
} from "../sellers";
import { audited } from "../audit";
import { adminProcedure, roleProcedure, router } from "../trpc";

export const sourcesRouter = router({
  list: adminProcedure.query(({ ctx }) => listSellerSources(ctx)),
  mine: roleProcedure("seller").query(async ({ ctx }) => (await listSellerSources(ctx, ctx.user.orgId))[0] ?? null),
  setSettings: adminProcedure
    .input(sourceSettingsInput)
    .mutation(
      audited({ entity: "source", id: (input) => input.sellerOrgId }, ({ ctx, input }) =>
        setSourceSettings(ctx, ctx.user.id, input),
      ),
    ),
  setMyTimeZone: roleProcedure("seller")
    .input(sellerTimeZoneInput)
    .mutation(
      audited({ entity: "source", id: (_i, c) => c.user?.orgId }, ({ ctx, input }) =>
        setOwnTimeZone(ctx, ctx.user.orgId, ctx.user.id, input),
      ),
    ),
  setRule: adminProcedure
    .input(payoutRuleInput)
    .mutation(
      audited({ entity: "source", id: (input) => input.sellerOrgId }, ({ ctx, input }) =>
        setPayoutRule(ctx, ctx.user.id, input),
      ),
    ),
  removeRule: adminProcedure
    .input(removeRuleInput)
    .mutation(
      audited({ entity: "source", id: (input) => input.sellerOrgId }, ({ ctx, input }) => removePayoutRule(ctx, input)),
    ),
});
