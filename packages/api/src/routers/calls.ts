// Call tracking: admins assign tracking numbers and read the analytics; a DJ reads its own calls
// and links them to leads or bookings. Every DJ call is scoped to the DJ of the caller's org.
import { listActiveDjChoices, listDjLinkableLeads } from "@leadflow/db";
import { z } from "zod";
import {
  assignVirtualNumber,
  attributeCallToLead,
  callAnalytics,
  getDJCallStats,
  listDjCalls,
  listVirtualNumbers,
  markCallConverted,
  numbersOfDj,
  publicDjProfile,
  setNumberRecording,
  unassignVirtualNumber,
} from "../calls";
import { djForOrg } from "../marketplace/common";
import { audited, createdId } from "../audit";
import { adminProcedure, publicProcedure, roleProcedure, router } from "../trpc";

const djProcedure = roleProcedure("dj");
const id = z.uuid("That id is not valid.");
const daysBack = z.number().int().min(1, "At least 1 day.").max(365, "At most 365 days.").default(30);

export const callsRouter = router({
  /** A DJ's public profile, with a tracking number (never the DJ's own). */
  djProfile: publicProcedure
    .input(z.object({ djId: id }))
    .query(({ ctx, input }) => publicDjProfile(ctx.db, ctx.clock, input.djId)),
  numbers: adminProcedure.query(({ ctx }) => listVirtualNumbers(ctx.db)),
  assignNumber: adminProcedure
    .input(
      z.object({
        number: z.string().trim().min(1, "Enter a number.").max(20, "That is too long for a phone number."),
        djId: id,
        recordingEnabled: z.boolean().default(false),
      }),
    )
    .mutation(
      audited({ entity: "virtual_number", id: createdId }, ({ ctx, input }) =>
        assignVirtualNumber(ctx, { ...input, userId: ctx.user.id }),
      ),
    ),
  unassignNumber: adminProcedure
    .input(z.object({ numberId: id }))
    .mutation(
      audited({ entity: "virtual_number", id: (input) => input.numberId }, ({ ctx, input }) =>
        unassignVirtualNumber(ctx, input),
      ),
    ),
  setRecording: adminProcedure.input(z.object({ numberId: id, recordingEnabled: z.boolean() })).mutation(
    audited({ entity: "virtual_number", id: (input) => input.numberId }, async ({ ctx, input }) => {
      await setNumberRecording(ctx.db, input);
      return { ok: true };
    }),
  ),
  analytics: adminProcedure
    .input(z.object({ daysBack }).optional())
    .query(({ ctx, input }) => callAnalytics(ctx.db, ctx.clock, input?.daysBack ?? 30)),
  djChoices: adminProcedure.query(({ ctx }) => listActiveDjChoices(ctx.db)),

  myCalls: djProcedure.input(z.object({ daysBack }).optional()).query(async ({ ctx, input }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    const [stats, calls, numbers] = await Promise.all([
      getDJCallStats(ctx.db, ctx.clock, dj.id, input?.daysBack ?? 30),
      listDjCalls(ctx.db, dj.id),
      numbersOfDj(ctx.db, dj.id),
    ]);
    return { stats, calls, numbers };
  }),
  /** The DJ's leads a call can be linked to: offered to or won by them, newest first. */
  myLeads: djProcedure.query(async ({ ctx }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return listDjLinkableLeads(ctx.db, dj.id);
  }),
  attribute: djProcedure.input(z.object({ callId: id, leadId: id })).mutation(async ({ ctx, input }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return attributeCallToLead(ctx, { ...input, djId: dj.id });
  }),
  markConverted: djProcedure
    .input(
      z.object({
        callId: id,
        bookingRef: z.string().trim().min(1, "Enter your booking reference.").max(80),
        valueDollars: z.number().int("Whole dollars, please.").min(0, "Enter zero or more.").max(1_000_000).nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const dj = await djForOrg(ctx.db, ctx.user.orgId);
      return markCallConverted(ctx, {
        callId: input.callId,
        bookingRef: input.bookingRef,
        valueCents: input.valueDollars == null ? null : input.valueDollars * 100,
        djId: dj.id,
      });
    }),
});
