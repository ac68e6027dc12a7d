// The DJ's marketplace: inbox, answers, unlocks, credits, calendar and prices. Every call is
// scoped to the DJ profile of the caller's organisation.
import { AVAILABILITY_STATUSES, reputationTips } from "@leadflow/engine";
import { z } from "zod";
import {
  CREDIT_PACKS,
  djForOrg,
  djInbox,
  djLedger,
  djMetricsOf,
  handleLeadResponse,
  listAvailability,
  markLeadConverted,
  purchaseCredits,
  setAvailability,
  setPriceRange,
  testPaymentProvider,
  unlockCustomerContact,
  djSendMessage,
  djThread,
  redactContact,
  djCalendarSettings,
  rotateCalendarFeed,
  setExternalCalendar,
} from "../marketplace";
import { audited } from "../audit";
import { priceRangeSchema } from "../marketplace/price-range-schema";
import { messageBody } from "./market-public";
import { roleProcedure, router } from "../trpc";

const djProcedure = roleProcedure("dj");
const leadId = z.uuid("That lead id is not valid.");

export const marketDjRouter = router({
  profile: djProcedure.query(async ({ ctx }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return {
      name: dj.name,
      city: dj.city,
      state: dj.state,
      tier: dj.tier,
      priceMinCents: dj.priceMinCents,
      priceMaxCents: dj.priceMaxCents,
      credits: dj.credits,
      isActive: dj.isActive,
      isSuspended: dj.isSuspended,
      // Advice only: never the score, its parts or the penalty.
      tips: reputationTips(djMetricsOf(dj)),
    };
  }),
  inbox: djProcedure.query(async ({ ctx }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return { now: ctx.clock.now(), items: await djInbox(ctx.db, dj.id, ctx.clock.now()) };
  }),
  respond: djProcedure
    .input(
      z.object({
        leadId,
        action: z.enum(["accepted", "declined"]),
        quoteDollars: z.number().int("Whole dollars, please.").min(0).max(1_000_000).optional().nullable(),
        message: z.string().trim().max(1000).optional().nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const dj = await djForOrg(ctx.db, ctx.user.orgId);
      return handleLeadResponse(ctx, {
        djId: dj.id,
        leadId: input.leadId,
        action: input.action,
        quoteCents: input.quoteDollars == null ? null : input.quoteDollars * 100,
        // The couple reads it before they have chosen anyone: no contact details in it.
        message: input.message ? redactContact(input.message).text : input.message,
      });
    }),
  unlock: djProcedure.input(z.object({ leadId })).mutation(async ({ ctx, input }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return unlockCustomerContact(ctx, { djId: dj.id, leadId: input.leadId });
  }),
  /** The private ICS feed URL and the external calendar's state. */
  calendarFeed: djProcedure.query(async ({ ctx }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return djCalendarSettings(ctx, dj.id);
  }),
  rotateCalendarFeed: djProcedure.mutation(async ({ ctx }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return rotateCalendarFeed(ctx, dj.id);
  }),
  /** The DJ's own calendar (ICS URL) whose busy days block leads; null removes it. */
  setExternalCalendar: djProcedure
    .input(
      z.object({
        url: z
          .url({ protocol: /^https?$/, error: "Enter the calendar's http:// or https:// (.ics) address." })
          .max(2000)
          .nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const dj = await djForOrg(ctx.db, ctx.user.orgId);
      return setExternalCalendar(ctx, dj.id, input.url);
    }),
  /** The DJ's thread with the couple of one lead. */
  messages: djProcedure.input(z.object({ leadId })).query(async ({ ctx, input }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return djThread(ctx, { djId: dj.id, leadId: input.leadId });
  }),
  sendMessage: djProcedure.input(z.object({ leadId, body: messageBody })).mutation(async ({ ctx, input }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return djSendMessage(ctx, { djId: dj.id, leadId: input.leadId, body: input.body });
  }),
  markBooked: djProcedure
    .input(z.object({ leadId, bookingValueDollars: z.number().int().min(0).max(1_000_000).nullable() }))
    .mutation(async ({ ctx, input }) => {
      const dj = await djForOrg(ctx.db, ctx.user.orgId);
      await markLeadConverted(ctx, {
        leadId: input.leadId,
        djId: dj.id,
        bookingValueCents: input.bookingValueDollars == null ? null : input.bookingValueDollars * 100,
      });
      return { ok: true };
    }),
  credits: djProcedure.query(async ({ ctx }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return { balance: dj.credits, packs: CREDIT_PACKS, ledger: await djLedger(ctx.db, dj.id) };
  }),
  buyCredits: djProcedure
    .input(
      z.object({
        packId: z.string().min(1, "Choose a pack."),
        paymentToken: z.string().min(1, "Enter a payment token.").max(200),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const dj = await djForOrg(ctx.db, ctx.user.orgId);
      return purchaseCredits(ctx, testPaymentProvider, {
        djId: dj.id,
        packId: input.packId,
        paymentToken: input.paymentToken,
        userId: ctx.user.id,
      });
    }),
  availability: djProcedure.query(async ({ ctx }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return listAvailability(ctx.db, ctx.clock, dj.id);
  }),
  setAvailability: djProcedure
    .input(z.object({ date: z.iso.date("Enter a date."), status: z.enum(AVAILABILITY_STATUSES, "Choose a status.") }))
    .mutation(async ({ ctx, input }) => {
      const dj = await djForOrg(ctx.db, ctx.user.orgId);
      await setAvailability(ctx.db, ctx.clock, { djId: dj.id, ...input });
      return { ok: true };
    }),
  setPriceRange: djProcedure.input(priceRangeSchema).mutation(
    audited({ entity: "dj", id: async (_i, c) => (await djForOrg(c.db, c.user!.orgId)).id }, async ({ ctx, input }) => {
      const dj = await djForOrg(ctx.db, ctx.user.orgId);
      await setPriceRange(ctx.db, ctx.clock, {
        djId: dj.id,
        priceMinCents: input.priceMinDollars * 100,
        priceMaxCents: input.priceMaxDollars * 100,
      });
      return { ok: true };
    }),
  ),
});
