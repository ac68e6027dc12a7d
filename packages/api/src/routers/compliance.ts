// Compliance (docs/compliance.md): suppression lists, do-not-call, each vertical's screens. Admins
// only; uploads themselves stream over HTTP (apps/server/src/compliance-uploads.ts).
import { z } from "zod";
import {
  doNotContact,
  leadSuppression,
  suppressionOverview,
  suppressionUpload,
  updateVerticalChecks,
} from "../compliance/suppression/service";
import { audited } from "../audit";
import { deletionRequests, requestDeletion } from "../compliance/retention/deletion";
import { updateVerticalRetention } from "../compliance/retention/service";
import { adminProcedure, router } from "../trpc";

const leadInput = z.strictObject({ leadId: z.uuid("That is not a lead id.") });

export const complianceRouter = router({
  /** The lists (global and per buyer) with their sizes, recent uploads, the DNC registry, verticals' screens. */
  overview: adminProcedure.query(({ ctx }) => suppressionOverview(ctx)),
  /** One upload: its progress while it runs, its per-line report when done. */
  upload: adminProcedure
    .input(z.strictObject({ id: z.uuid("That is not an upload id.") }))
    .query(({ ctx, input }) => suppressionUpload(ctx, input.id)),
  /** Whether a lead's person is on the global list (the lead page's "Do not contact"). */
  leadStatus: adminProcedure.input(leadInput).query(({ ctx, input }) => leadSuppression(ctx, input.leadId)),
  /** The person asked to be left alone: phone and email onto the global list, in one step. */
  doNotContact: adminProcedure.input(leadInput).mutation(({ ctx, input }) => doNotContact(ctx, input.leadId)),
  setVerticalChecks: adminProcedure
    .input(
      z.strictObject({
        key: z.string().min(1, "Choose a vertical.").max(40),
        checkSuppression: z.boolean(),
        checkDnc: z.boolean(),
        checkLitigator: z.boolean(),
        /** A litigator check that cannot be completed lets the lead through; false (the default) refuses it. */
        litigatorFailOpen: z.boolean(),
      }),
    )
    .mutation(
      audited({ entity: "vertical", id: (input) => input.key }, ({ ctx, input }) => updateVerticalChecks(ctx, input)),
    ),
  /** Days after which a lead's contact fields are purged; null keeps them. */
  setVerticalRetention: adminProcedure
    .input(
      z.strictObject({
        key: z.string().min(1, "Choose a vertical.").max(40),
        retentionDays: z
          .int("Retention is a whole number of days.")
          .min(1, "Retention is at least 1 day.")
          .max(3650, "Retention is at most 3650 days (10 years).")
          .nullable(),
      }),
    )
    .mutation(
      audited({ entity: "vertical", id: (input) => input.key }, ({ ctx, input }) =>
        updateVerticalRetention(ctx, input),
      ),
    ),
  /** A person asked to be forgotten: their personal data removed everywhere, an audit entry kept. */
  requestDeletion: adminProcedure
    .input(
      z.strictObject({
        phone: z.string().max(40, "A phone is at most 40 characters.").nullish(),
        email: z.string().max(254, "An email is at most 254 characters.").nullish(),
      }),
    )
    .mutation(({ ctx, input }) => requestDeletion(ctx, input, ctx.user.id)),
  /** The audit entries of deletion requests, newest first (never the person's data). */
  deletionRequests: adminProcedure.query(({ ctx }) => deletionRequests(ctx)),
});
