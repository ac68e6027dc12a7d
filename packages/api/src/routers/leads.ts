// Leads in the dashboard: submit (the same intake as POST /api/v1/leads), list and get, each
// scoped by the caller's org (see auction/view.ts for who sees what).
import { LEAD_STATUSES } from "@leadflow/engine";
import { z } from "zod";
import { leadIntakeSchema } from "../auction/intake";
import { submitLead } from "../auction/submit";
import { getLeadDetail, listLeads } from "../auction/view";
import { authedProcedure, roleProcedure, router } from "../trpc";

export const leadsRouter = router({
  /** Admins submit test leads as the platform org; sellers as themselves. */
  submit: roleProcedure("admin", "seller")
    .input(leadIntakeSchema)
    .mutation(({ ctx, input }) => submitLead(ctx, { orgId: ctx.user.orgId, role: ctx.user.role }, input)),
  list: authedProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(200).default(50),
          before: z.coerce.date().optional(),
          status: z.enum(LEAD_STATUSES).optional(),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) => listLeads(ctx, { orgId: ctx.user.orgId, role: ctx.user.role }, input)),
  get: authedProcedure
    .input(z.object({ id: z.uuid("That is not a lead id.") }))
    .query(({ ctx, input }) => getLeadDetail(ctx, { orgId: ctx.user.orgId, role: ctx.user.role }, input.id)),
});
