// Insight: the lead timeline (admins), "why didn't I get this lead?" (each buyer and DJ for
// itself) and the what-if replay (a buyer for itself, an admin for any buyer). Thin: validate,
// then call the service in ../insight.
import { z } from "zod";
import { auctionWhyNot, djWhyNot, leadTimeline, replayBuyer, replayInputSchema } from "../insight";
import { adminProcedure, roleProcedure, router } from "../trpc";

const whyNotInput = z
  .object({
    days: z.number().int().min(1, "At least 1 day.").max(366, "At most a year.").default(30),
    before: z.coerce.date().optional(),
    limit: z.number().int().min(1).max(500).default(100),
    buyerId: z.uuid("Choose one of your buyers.").optional(),
  })
  .prefault({});

export const insightRouter = router({
  timeline: adminProcedure
    .input(z.object({ id: z.uuid("That is not a lead id.") }))
    .query(({ ctx, input }) => leadTimeline(ctx.db, input.id)),
  whyNot: roleProcedure("admin", "contractor", "network")
    .input(whyNotInput)
    .query(({ ctx, input }) => auctionWhyNot(ctx.db, ctx.user, input, ctx.clock.now())),
  djWhyNot: roleProcedure("admin", "dj")
    .input(whyNotInput.unwrap().omit({ buyerId: true }).extend({ djId: z.uuid().optional() }).prefault({}))
    .query(({ ctx, input }) => djWhyNot(ctx.db, ctx.user, input, ctx.clock.now())),
  replay: roleProcedure("admin", "contractor", "network")
    .input(replayInputSchema)
    .mutation(({ ctx, input }) => replayBuyer(ctx.db, ctx.user, input, ctx.clock.now())),
});
