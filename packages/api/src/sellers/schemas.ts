// The seller side's inputs. A ping carries the partial lead only: a contact field anywhere in it
// (top level, or a custom field named like one) is refused by name, so no buyer can be pinged
// with who the person is. A post is the full lead, under the same schema as /leads, plus pingId.
import { isValidTimeZone, LEAD_STATUSES, PAYOUT_RULE_KINDS, UNSOLD_REASONS } from "@leadflow/engine";
import { z } from "zod";
import { AppError } from "../errors";
import { fieldErrorsOf, leadIntakeSchema, type LeadIntake } from "../auction/intake";

/** Names a ping may not carry: the contact object and its fields, at the top or as custom fields. */
export const CONTACT_FIELDS = [
  "contact",
  "firstName",
  "lastName",
  "name",
  "email",
  "phone",
  "address",
  "city",
] as const;

const partialShape = leadIntakeSchema.def.shape;

export const pingSchema = z.strictObject({
  vertical: partialShape.vertical,
  zip: partialShape.zip,
  state: partialShape.state,
  consent: partialShape.consent,
  customFields: partialShape.customFields,
});
export type PingInput = z.output<typeof pingSchema>;

function contactFieldsIn(body: unknown): string[] {
  if (!body || typeof body !== "object" || Array.isArray(body)) return [];
  const b = body as Record<string, unknown>;
  const contact = new Set<string>(CONTACT_FIELDS);
  const top = Object.keys(b).filter((k) => contact.has(k));
  const custom =
    b.customFields && typeof b.customFields === "object"
      ? Object.keys(b.customFields).filter((k) => contact.has(k))
      : [];
  return [...top, ...custom.map((k) => `customFields.${k}`)];
}

export function parsePing(body: unknown): PingInput {
  const contact = contactFieldsIn(body);
  if (contact.length > 0) {
    throw new AppError(
      "BAD_REQUEST",
      `A ping never carries contact details; remove ${contact.join(", ")} and send them with the post.`,
      Object.fromEntries(contact.map((f) => [f, ["contact details are sent with the post, not the ping"]])),
    );
  }
  const r = pingSchema.safeParse(body);
  if (!r.success) throw new AppError("BAD_REQUEST", "The ping is not valid; see fieldErrors.", fieldErrorsOf(r.error));
  return r.data;
}

const pingIdSchema = z
  .uuid("pingId must be the pingId a ping answered with")
  .meta({ description: "The pingId your ping was answered with." });

/** The post: pingId plus the lead exactly as /leads takes it (wait is implied: the answer is the outcome). */
export const postBodySchema = leadIntakeSchema.safeExtend({ pingId: pingIdSchema });

export function parsePost(body: unknown): { pingId: string; lead: LeadIntake } {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new AppError("BAD_REQUEST", "The post is not valid; see fieldErrors.", { "(body)": ["send a JSON object"] });
  const r = postBodySchema.safeParse(body);
  if (!r.success) throw new AppError("BAD_REQUEST", "The post is not valid; see fieldErrors.", fieldErrorsOf(r.error));
  const { pingId, ...lead } = r.data;
  return { pingId, lead };
}

/** What a ping is answered with (200). */
export const pingAnswerSchema = z.strictObject({
  pingId: z.guid().meta({ description: "Post the full lead with this id before expiresAt." }),
  accepted: z.boolean().meta({
    description: "false: no bid, or none that leaves LeadFlow its minimum margin; there is nothing to post to.",
  }),
  payoutCents: z.int().min(0).meta({ description: "What you earn if the lead sells (0 when not accepted)." }),
  expiresAt: z.date().meta({ description: "The bids are held until this instant (to the millisecond)." }),
});
export type PingAnswer = z.output<typeof pingAnswerSchema>;

/** What a post is answered with (201): how the lead ended and what it earned. */
export const postAnswerSchema = z.strictObject({
  leadId: z.guid().meta({ description: "The lead's id: the same as the pingId." }),
  pingId: z.guid(),
  status: z.enum(LEAD_STATUSES),
  unsoldReason: z.enum(UNSOLD_REASONS).nullable(),
  payoutCents: z.int().min(0).meta({ description: "The payout actually earned (0 unless SOLD)." }),
});
export type PostAnswer = z.output<typeof postAnswerSchema>;

const cents = (max: number) => z.int().min(0).max(max);

export const payoutRuleInput = z
  .strictObject({
    sellerOrgId: z.uuid(),
    vertical: z.string().trim().min(1).max(64).toLowerCase().nullable(),
    kind: z.enum(PAYOUT_RULE_KINDS),
    fixedCents: cents(10_000_000).nullable().default(null),
    shareBp: z.int().min(0).max(10_000).nullable().default(null),
    marginCents: cents(10_000_000).nullable().default(null),
    minMarginCents: cents(10_000_000).default(0),
  })
  .superRefine((r, ctx) => {
    const need = { FIXED_PER_LEAD: "fixedCents", REVENUE_SHARE: "shareBp", BID_MINUS_MARGIN: "marginCents" } as const;
    const field = need[r.kind];
    if (r[field] === null)
      ctx.addIssue({ code: "custom", path: [field], message: `${field} is required for ${r.kind}` });
  });
export type PayoutRuleInput = z.output<typeof payoutRuleInput>;

/** Intl's zone names, to give a name typed in another case its proper spelling (PostgreSQL's is exact). */
let zoneNames: Map<string, string> | null = null;
function properZoneName(v: string): string {
  zoneNames ??= new Map(Intl.supportedValuesOf("timeZone").map((z) => [z.toLowerCase(), z]));
  return zoneNames.get(v.toLowerCase()) ?? v;
}

/**
 * A seller's time zone: an IANA name ("America/Los_Angeles") or UTC. Abbreviations such as "PST"
 * or "EST" are refused: they are fixed offsets that ignore daylight saving time. The service also
 * checks PostgreSQL knows the name, since the portal's SQL counts in it.
 */
export const sellerTimeZoneSchema = z
  .string({ error: "Choose a time zone." })
  .trim()
  .min(1, "Choose a time zone.")
  .max(64, 'Use a time zone name like "America/Chicago".')
  .transform(properZoneName)
  .refine(
    (v) => (v === "UTC" || v.includes("/")) && isValidTimeZone(v),
    'Not a time zone LeadFlow knows: use an IANA name like "America/Chicago" or "Europe/London", or UTC.',
  );

export const sourceSettingsInput = z.strictObject({
  sellerOrgId: z.uuid(),
  pingTtlSeconds: z
    .int("Enter a whole number of seconds.")
    .min(1, "Hold bids at least 1 second.")
    .max(3600, "Hold bids at most an hour (3600 seconds)."),
  returnWindowDays: z
    .int("Enter a whole number of days.")
    .min(0, "The return window can't be negative (0: no returns take back the payout).")
    .max(365, "The return window can be at most 365 days."),
  /** Left out: the seller keeps the zone it has. */
  timeZone: sellerTimeZoneSchema.optional(),
});

/** A seller sets its own zone (the rest of its terms are LeadFlow's to set). */
export const sellerTimeZoneInput = z.strictObject({ timeZone: sellerTimeZoneSchema });

export const removeRuleInput = z.strictObject({
  sellerOrgId: z.uuid(),
  vertical: z.string().trim().min(1).max(64).toLowerCase().nullable(),
});
