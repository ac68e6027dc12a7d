// The Outbox: every email the project sends (admins all, with the relay's full error; everyone
// else its own org's rows, with reasons in their own words), and resending a dead one.
import { z } from "zod";
import { listOutbox, resendEmail } from "../email/outbox";
import { AppError } from "../errors";
import { authedProcedure, router } from "../trpc";

export const OUTBOX_STATUSES = ["outbox", "queued", "sending", "sent", "failed", "dead", "unknown"] as const;

export const emailRouter = router({
  outbox: authedProcedure
    .input(
      z
        .object({
          status: z.enum(OUTBOX_STATUSES).optional(),
          limit: z.number().int().min(1).max(200).default(50),
          before: z.coerce.date().optional(),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) => listOutbox(ctx, { role: ctx.user.role, orgId: ctx.user.orgId }, input)),
  resend: authedProcedure
    .input(z.object({ id: z.uuid("That is not an email id.") }))
    .mutation(async ({ ctx, input }) => {
      const r = await resendEmail(ctx, input.id, { userId: ctx.user.id, role: ctx.user.role, orgId: ctx.user.orgId });
      if (!r.found) throw new AppError("NOT_FOUND", "No such email in your outbox.");
      if (!r.resent)
        throw new AppError("CONFLICT", "Only an email that is dead or whose sending was interrupted can be resent.");
      return r;
    }),
});
