// The `returns` router: buyers (contractor, network) return leads they bought and follow their
// requests and credits; admins work the queue and set the return terms and the ranking switch;
// sellers see which of their leads came back and why. Logic lives in ../returns.
import { getReturnSettings, setBuyerReturnTerms, setVerticalRankNetOfReturns } from "@leadflow/db";
import { RETURN_STATUSES } from "@leadflow/engine";
import { z } from "zod";
import { audited } from "../audit";
import { AppError } from "../errors";
import {
  buyerTermsSchema,
  creditBalance,
  adminDecideReturn,
  decisionSchema,
  listReturns,
  refreshReturnRates,
  requestReturn,
  returnableLeads,
  returnAllowances,
  returnRates,
  returnRequestSchema,
  type RateScope,
} from "../returns";
import { adminProcedure, roleProcedure, router } from "../trpc";

const buyerRole = roleProcedure("contractor", "network");
const reader = roleProcedure("admin", "contractor", "network", "seller");
const scopeOf = (u: { role: string; orgId: string }): RateScope =>
  u.role === "admin"
    ? { kind: "admin" }
    : u.role === "seller"
      ? { kind: "seller", orgId: u.orgId }
      : { kind: "buyer", orgId: u.orgId };

export const returnsRouter = router({
  request: buyerRole.input(returnRequestSchema).mutation(({ ctx, input }) => {
    const { leadId, ...body } = input;
    return requestReturn(ctx, { orgId: ctx.user.orgId, userId: ctx.user.id, via: "dashboard" }, leadId, body);
  }),
  returnable: buyerRole.query(({ ctx }) => returnableLeads(ctx.db, ctx.user.orgId, ctx.clock.now())),
  balance: buyerRole.query(({ ctx }) => creditBalance(ctx.db, ctx.user.orgId)),
  allowances: buyerRole.query(({ ctx }) => returnAllowances(ctx.db, ctx.user.orgId, ctx.clock.now())),
  list: reader
    .input(
      z
        .object({ status: z.enum(RETURN_STATUSES).optional(), limit: z.number().int().min(1).max(200).default(50) })
        .prefault({}),
    )
    .query(({ ctx, input }) => listReturns(ctx.db, scopeOf(ctx.user), input)),
  rates: reader.query(({ ctx }) => returnRates(ctx.db, scopeOf(ctx.user), ctx.clock.now())),

  decide: adminProcedure.input(decisionSchema).mutation(({ ctx, input }) => adminDecideReturn(ctx, ctx.user.id, input)),
  settings: adminProcedure.query(({ ctx }) => getReturnSettings(ctx.db)),
  setVerticalRanking: adminProcedure
    .input(z.strictObject({ key: z.string().min(1).max(40), on: z.boolean() }))
    .mutation(
      audited({ entity: "vertical", id: (input) => input.key }, async ({ ctx, input }) => {
        if (!(await setVerticalRankNetOfReturns(ctx.db, input.key, input.on)))
          throw new AppError("NOT_FOUND", "No such vertical.");
        if (input.on) await refreshReturnRates(ctx.db, ctx.clock.now());
        return { key: input.key, rankNetOfReturns: input.on };
      }),
    ),
  setBuyerTerms: adminProcedure.input(buyerTermsSchema).mutation(
    audited({ entity: "buyer", id: (input) => input.buyerId }, async ({ ctx, input }) => {
      if (!(await setBuyerReturnTerms(ctx.db, input.buyerId, input, ctx.clock.now())))
        throw new AppError("NOT_FOUND", "No such buyer.");
      return input;
    }),
  ),
});
