// The `billing` router (docs/billing.md): the admin sets each buyer's billing (mode, credit limit,
// budgets, low-balance threshold) and tops it up, reads every ledger, statement and the
// accounts-receivable summary; a buyer org reads its own buyers' balances, ledgers and
// statements. Every settings change and top-up is in this one file. Logic lives in ../billing.
import { z } from "zod";
import {
  billingFor,
  billingSettingsSchema,
  ledgerPage,
  myBalances,
  receivables,
  setBillingSettings,
  statement,
  statementMonthSchema,
  topUp,
  topUpSchema,
} from "../billing";
import { audited } from "../audit";
import { adminProcedure, roleProcedure, router } from "../trpc";

const reader = roleProcedure("admin", "contractor", "network");
const buyerRole = roleProcedure("contractor", "network");

export const billingRouter = router({
  /** The buyer's billing settings and balance (admin: any buyer; a buyer org: its own). */
  get: reader
    .input(z.strictObject({ buyerId: z.uuid() }))
    .query(({ ctx, input }) => billingFor(ctx.db, ctx.user, input.buyerId)),
  /** The buyer org's own buyers with their balances and the low-balance banner's flag. */
  mine: buyerRole.query(({ ctx }) => myBalances(ctx.db, ctx.user.orgId)),
  ledger: reader
    .input(
      z.strictObject({
        buyerId: z.uuid(),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(1_000_000).default(0),
      }),
    )
    .query(({ ctx, input }) => ledgerPage(ctx.db, ctx.user, input)),
  statement: reader
    .input(statementMonthSchema)
    .query(({ ctx, input }) => statement(ctx.db, ctx.user, input.buyerId, input.month)),

  receivables: adminProcedure.query(({ ctx }) => receivables(ctx.db)),
  setSettings: adminProcedure
    .input(billingSettingsSchema)
    .mutation(
      audited({ entity: "buyer", id: (input) => input.buyerId }, ({ ctx, input }) => setBillingSettings(ctx.db, input)),
    ),
  topUp: adminProcedure
    .input(topUpSchema)
    .mutation(({ ctx, input }) => topUp(ctx.db, ctx.user.id, ctx.clock.now(), input)),
});
