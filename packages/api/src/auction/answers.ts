// The shapes of what the REST API answers about a lead, as zod schemas: the lead view's type is
// inferred from them (view.ts), the routes send their answers through them, and the OpenAPI
// document (apps/server/src/rest/openapi.ts) is generated from them. Instants are Dates here;
// JSON carries them as ISO 8601 strings in UTC (the document says so).
import {
  BUYER_TYPES,
  DELIVERY_METHODS,
  LEAD_STATUSES,
  LOST_REASONS,
  PING_OUTCOMES,
  TRANSACTION_KINDS,
  UNSOLD_REASONS,
} from "@leadflow/engine";
import { z } from "zod";

/** An instant: a Date in code, an ISO 8601 string in UTC on the wire. */
export const instant = z.date();
/** Database ids. Any 8-4-4-4-12 hex: the answer repeats what the database holds. */
export const rowId = z.guid();
export const centsAmount = z.int().meta({ description: "Integer cents (US$): 2500 is $25.00." });

export const transactionViewSchema = z
  .strictObject({
    buyerId: rowId.nullable().meta({ description: "Null for a buyer the caller may not know by name." }),
    buyer: z.string().meta({ description: 'The buyer\'s name, or "Buyer 1", "Buyer 2", … when anonymous.' }),
    buyerType: z.enum(BUYER_TYPES),
    kind: z.enum(TRANSACTION_KINDS),
    pingOutcome: z.enum(PING_OUTCOMES).nullable(),
    bidCents: centsAmount.nullable(),
    isWinner: z.boolean(),
    lostReason: z.enum(LOST_REASONS).nullable(),
    winningBidAmountCents: centsAmount
      .nullable()
      .meta({ description: "On a loser of a sold lead: what the winner paid." }),
    cascadePosition: z.int().nullable().meta({ description: "1 = the first POST; null if never POSTed to." }),
    deliveryMethod: z.enum(DELIVERY_METHODS).nullable(),
    priceCents: centsAmount.nullable(),
    latencyMs: z.int().nullable(),
    postLatencyMs: z.int().nullable(),
    detail: z.string().nullable(),
    request: z.string().nullable().optional().meta({ description: "Platform admins only: the ping as sent." }),
    response: z.string().nullable().optional().meta({ description: "Platform admins only: the ping's answer." }),
    postResponse: z.string().nullable().optional().meta({ description: "Platform admins only." }),
    error: z.string().nullable().optional().meta({ description: "Platform admins only." }),
    createdAt: instant,
  })
  .meta({ description: "One buyer's part in the lead's auction." });

export const refusalViewSchema = z
  .strictObject({
    buyerId: rowId.nullable(),
    buyer: z.string(),
    buyerType: z.enum(BUYER_TYPES),
    reason: z.string().meta({
      description:
        "COMPLIANCE_MISSING, VALIDATION_FAILED, OUTSIDE_HOURS, CAP_REACHED or DUPLICATE_LEAD (admins see all).",
    }),
    detail: z.string().nullable(),
    at: instant,
  })
  .meta({ description: "A buyer refused by its rules before the auction (it never took part)." });

const nullableText = z.string().nullable().optional();

export const leadViewSchema = z
  .strictObject({
    id: rowId,
    externalId: z.string().nullable(),
    status: z.enum(LEAD_STATUSES),
    unsoldReason: z.enum(UNSOLD_REASONS).nullable(),
    vertical: z.string(),
    zip: z.string(),
    state: z.string().nullable(),
    receivedAt: instant,
    finishedAt: instant.nullable(),
    revenueCents: centsAmount
      .nullable()
      .meta({ description: "What the lead sold for: platform admins only (null for sellers and buyers)." }),
    payoutCents: centsAmount.nullable().meta({
      description:
        "What the seller earned for the lead (its payout, before any reversal by a return); null for buyers.",
    }),
    winnerCount: z.int(),
    contact: z
      .strictObject({
        firstName: z.string(),
        lastName: z.string(),
        email: nullableText,
        phone: nullableText,
        address: nullableText,
        city: nullableText,
      })
      .nullable()
      .meta({ description: "The person: for the seller that sent it, a buyer that bought it, and admins." }),
    consent: z.strictObject({ trustedFormCertUrl: nullableText, jornayaLeadId: nullableText }),
    customFields: z.record(z.string(), z.unknown()),
    transactions: z.array(transactionViewSchema).meta({
      description:
        "The buyers' part in the auction: a buyer sees its own, platform admins all; always empty for sellers, who never see a buyer's identity or bid.",
    }),
    refusals: z.array(refusalViewSchema),
  })
  .meta({ description: "A lead's outcome and its transactions, as the caller may see them." });
export type LeadView = z.output<typeof leadViewSchema>;

export const submittedLeadSchema = z.strictObject({
  id: rowId,
  created: z
    .boolean()
    .meta({ description: "false when externalId matched a lead you already sent (that lead is answered)." }),
  status: z.enum(LEAD_STATUSES),
  outcome: leadViewSchema.optional().meta({ description: "With wait: the lead as GET /api/v1/leads/{id} answers it." }),
});
export type SubmittedLead = z.output<typeof submittedLeadSchema>;
