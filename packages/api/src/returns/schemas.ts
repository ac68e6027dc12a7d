// What a return request and an admin's decision may carry. The same schema serves the dashboard
// (tRPC) and POST /api/v1/leads/:id/return, so both refuse the same things the same way.
import { RETURN_REASONS, RETURN_RULES, RETURN_STATUSES } from "@leadflow/engine";
import { z } from "zod";

export const returnBodySchema = z
  .strictObject({
    reason: z.enum(RETURN_REASONS, { error: `reason must be one of ${RETURN_REASONS.join(", ")}` }),
    comment: z.string().trim().max(1000, "Keep the comment under 1000 characters.").optional(),
    /** Only needed when several of your buyers bought the same lead. */
    buyerId: z.uuid("buyerId must be one of your buyers' ids.").optional(),
  })
  .refine((b) => b.reason !== "OTHER" || (b.comment ?? "").length >= 3, {
    message: "Tell us what was wrong with the lead (a comment is required for 'other').",
    path: ["comment"],
  });
export type ReturnBody = z.output<typeof returnBodySchema>;

export const returnRequestSchema = z.object({ leadId: z.uuid("That is not a lead id.") }).and(returnBodySchema);

export const decisionSchema = z.strictObject({
  id: z.uuid("Unknown return request."),
  decision: z.enum(["APPROVED", "DENIED"], { error: "Approve or deny." }),
  note: z
    .string()
    .trim()
    .min(3, "Write a short note the buyer will see.")
    .max(1000, "Keep the note under 1000 characters."),
});

export const buyerTermsSchema = z.strictObject({
  buyerId: z.uuid("Unknown buyer."),
  returnWindowDays: z.number().int("Whole days.").min(0, "0 allows no returns.").max(90, "At most 90 days."),
  returnCapPercent: z.number().int("A whole percentage.").min(0, "At least 0%.").max(100, "At most 100%."),
});

/** What POST /api/v1/leads/:id/return answers: 201 approved and credited, 202 waiting for an admin. */
export const returnResultSchema = z.strictObject({
  id: z.guid(),
  leadId: z.guid(),
  buyerId: z.guid().meta({ description: "Your buyer that bought (and now returns) the lead." }),
  status: z.enum(["APPROVED", "PENDING"]),
  rule: z.enum(RETURN_RULES).meta({ description: "The rule that decided (or held) the request." }),
  detail: z.string(),
  creditedCents: z.int().nullable().meta({ description: "The credit, in cents, when approved; null while pending." }),
  windowEndsAt: z.date().meta({ description: "The end of your return window for this sale." }),
});

/** What GET /api/v1/leads/:id/return answers: the caller's return requests for the lead. */
export const returnListAnswerSchema = z.strictObject({
  returns: z.array(
    z.strictObject({
      id: z.guid(),
      leadId: z.guid(),
      buyerId: z.guid(),
      reason: z.enum(RETURN_REASONS),
      comment: z.string().nullable(),
      status: z.enum(RETURN_STATUSES),
      rule: z.enum(RETURN_RULES),
      detail: z.string().nullable(),
      decisionNote: z.string().nullable().meta({ description: "The admin's note when it decided a held request." }),
      decidedAt: z.date().nullable(),
      creditedCents: z.int().nullable(),
      createdAt: z.date(),
    }),
  ),
});
