// What a what-if replay may change, validated like the settings form validates the real thing
// (the same field schemas), plus the window. Absent fields keep the buyer's current value; null
// clears it where clearing means something (a cap of null is no cap, hours of null always open).
import { formatCents, MAX_BID_CENTS } from "@leadflow/engine";
import { z } from "zod";
import { contractorSettingsFields, hoursSchema, serviceZipSchema, timeZoneSchema } from "../buyers/schemas";

const cents = (what: string) =>
  z
    .number({ error: `${what}: enter an amount in cents (a whole number).` })
    .int(`${what} must be whole cents.`)
    .min(1, `${what} must be more than $0.`)
    .max(MAX_BID_CENTS, `${what} can be at most ${formatCents(MAX_BID_CENTS, { trimZeroCents: true })}.`);

export const MAX_REPLAY_DAYS = 90;

export const replayChangesSchema = z
  .strictObject({
    /** NETWORK: answer every ping with this bid instead of the recorded one. */
    bidCents: cents("The bid").optional(),
    /** NETWORK: the floor its own bids must reach. */
    minBidCents: z.number().int().min(0, "The minimum bid can't be negative.").max(MAX_BID_CENTS).optional(),
    /** CONTRACTOR: AUCTION competes in the network auction with its max bid; FIXED and HYBRID get leads directly. */
    pricingModel: contractorSettingsFields.pricingModel.optional(),
    maxBidCents: cents("The max bid").nullable().optional(),
    fixedLeadPriceCents: cents("The fixed price").nullable().optional(),
    sharedPriceCents: cents("The shared price").nullable().optional(),
    capDaily: contractorSettingsFields.capDaily,
    capWeekly: contractorSettingsFields.capWeekly,
    capMonthly: contractorSettingsFields.capMonthly,
    serviceZips: z
      .array(serviceZipSchema)
      .min(1, "Serve at least one zip code.")
      .max(2000, "At most 2000 zip codes.")
      .optional(),
    timeZone: timeZoneSchema.optional(),
    hours: hoursSchema,
    deliveryMode: contractorSettingsFields.deliveryMode.optional(),
    maxSharedLeads: contractorSettingsFields.maxSharedLeads.optional(),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    (c.serviceZips ?? []).forEach((z, i) => {
      if (seen.has(z.zip))
        ctx.addIssue({ code: "custom", path: ["serviceZips", i, "zip"], message: `${z.zip} is listed twice.` });
      seen.add(z.zip);
    });
  });

export const replayInputSchema = z.strictObject({
  buyerId: z.uuid("Choose one of your buyers."),
  days: z
    .number({ error: "Enter how many days back to replay." })
    .int("Enter a whole number of days.")
    .min(1, "Replay at least 1 day.")
    .max(MAX_REPLAY_DAYS, `Replay at most ${MAX_REPLAY_DAYS} days.`)
    .default(30),
  changes: replayChangesSchema.prefault({}),
  /** How many per-lead rows to return (the totals always cover every lead). */
  rows: z.number().int().min(0).max(1000).default(200),
});

export type ReplayInput = z.output<typeof replayInputSchema>;
export type ReplayChanges = z.output<typeof replayChangesSchema>;
