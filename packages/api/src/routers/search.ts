// The top bar's search: one box, every lead the caller's own pages could show (the scope and the
// contact rules: packages/db/src/queries/search.ts).
import { searchLeads, SEARCH_CURSOR } from "@leadflow/db";
import { LEAD_STATUSES, MARKET_LEAD_STATES } from "@leadflow/engine";
import { z } from "zod";
import { authedProcedure, router } from "../trpc";

export const searchLeadsInput = z
  .object({
    text: z.string().trim().max(200, "Search for at most 200 characters.").optional(),
    status: z.enum([...LEAD_STATUSES, ...MARKET_LEAD_STATES], "That is not a lead status.").optional(),
    from: z.coerce.date("From must be a date.").optional(),
    to: z.coerce.date("To must be a date.").optional(),
    limit: z.number().int().min(1).max(100).default(25),
    cursor: z.string().regex(SEARCH_CURSOR, "That page cursor is not valid.").optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: "From must be before to.", path: ["to"] });

export const searchRouter = router({
  leads: authedProcedure
    .input(searchLeadsInput)
    .query(({ ctx, input }) =>
      searchLeads(ctx.db, { ...input, viewer: { role: ctx.user.role, orgId: ctx.user.orgId } }),
    ),
});
