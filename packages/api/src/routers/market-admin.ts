// The admin's marketplace: metrics beside the seed's targets, the concierge queue, DJ management,
// credit grants and any lead's score and timeline.
import { getMarketLead, listDjsForAdmin, listMarketLeadEvents, listRecentMarketLeads } from "@leadflow/db";
import { z } from "zod";
import { audited } from "../audit";
import { AppError } from "../errors";
import {
  assignFromConcierge,
  conciergeQueue,
  grantCredits,
  loadRoutingConfig,
  marketplaceMetrics,
  recalculateAllRoutingScores,
  recomputeCityStats,
  saveRoutingConfig,
  loadCityWindows,
  saveCityWindows,
  setDjStatus,
} from "../marketplace";
import { adminProcedure, router } from "../trpc";

const id = z.uuid("That id is not valid.");

export const marketAdminRouter = router({
  metrics: adminProcedure.query(({ ctx }) => marketplaceMetrics(ctx)),
  concierge: adminProcedure.query(({ ctx }) => conciergeQueue(ctx)),
  assign: adminProcedure.input(z.object({ leadId: id, djId: id })).mutation(async ({ ctx, input }) => {
    await assignFromConcierge(ctx, input);
    return { ok: true };
  }),
  djs: adminProcedure
    .input(z.object({ city: z.string().trim().max(80).optional() }).optional())
    .query(({ ctx, input }) => listDjsForAdmin(ctx.db, input?.city)),
  setDjStatus: adminProcedure
    .input(z.object({ djId: id, isActive: z.boolean().optional(), isSuspended: z.boolean().optional() }))
    .mutation(
      audited({ entity: "dj", id: (input) => input.djId }, async ({ ctx, input }) => {
        await setDjStatus(ctx, input);
        return { ok: true };
      }),
    ),
  grantCredits: adminProcedure
    .input(
      z.object({
        djId: id,
        credits: z.number().int("Whole credits, please.").min(1, "At least 1.").max(1000, "At most 1000 at a time."),
        note: z.string().trim().min(1, "Say why.").max(200),
      }),
    )
    .mutation(({ ctx, input }) => grantCredits(ctx, { ...input, userId: ctx.user.id })),
  leads: adminProcedure.query(({ ctx }) => listRecentMarketLeads(ctx.db)),
  lead: adminProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    const lead = await getMarketLead(ctx.db, input.id);
    if (!lead) throw new AppError("NOT_FOUND", "That lead does not exist.");
    const events = await listMarketLeadEvents(ctx.db, input.id);
    const { comparisonTokenHash: _hash, ...rest } = lead;
    return { lead: rest, events };
  }),
  routingSettings: adminProcedure.query(({ ctx }) => loadRoutingConfig(ctx.db)),
  /** Checked by the engine's validateRoutingConfig, which names the field and its bounds. */
  setRoutingSettings: adminProcedure
    .input(z.record(z.string(), z.unknown()))
    .mutation(
      audited({ entity: "routing", id: () => "default" }, ({ ctx, input }) =>
        saveRoutingConfig(ctx.db, ctx.clock, input, ctx.user.id),
      ),
    ),
  /** Routing windows per city (issue 17 item 6): { "<city>": { exclusiveWindowMinutes?, … } }. */
  cityWindows: adminProcedure.query(({ ctx }) => loadCityWindows(ctx.db)),
  /** Sets one city's windows, or removes them with `windows: null`; checked by validateCityWindows. */
  setCityWindows: adminProcedure
    .input(
      z.object({
        city: z.string().trim().min(1, "Name the city.").max(100, "At most 100 characters."),
        windows: z.record(z.string(), z.unknown()).nullable(),
      }),
    )
    .mutation(
      audited({ entity: "routing", id: () => "default" }, ({ ctx, input }) =>
        saveCityWindows(ctx.db, ctx.clock, input, ctx.user.id),
      ),
    ),
  recompute: adminProcedure.mutation(async ({ ctx }) => {
    const stats = await recomputeCityStats(ctx.db, ctx.clock);
    const scores = await recalculateAllRoutingScores(ctx.db, ctx.clock);
    return { stats, scores };
  }),
});
