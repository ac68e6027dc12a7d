// What a buyer's settings may be, in words a contractor understands. One set of schemas serves the
// settings form, the admin editor and the JSON import, so all three refuse the same things the same
// way. Cross-field rules are checked in refineSettings and reported on the field to fix.
import {
  AUTH_KINDS,
  authProblems,
  authSecretProblem,
  bodyTemplateProblems,
  REDACTED,
  REQUEST_FORMATS,
  type RequestKind,
  BUYER_TYPES,
  COMPLIANCE_REQUIREMENTS,
  crossesMidnight,
  DELIVERY_METHODS,
  DELIVERY_MODES,
  isValidTimeZone,
  MAX_BID_CENTS,
  parseHm,
  PRICING_MODELS,
  WEEKDAYS,
  type Weekday,
  formatCents,
} from "@leadflow/engine";
import { z } from "zod";

const cents = (what: string) =>
  z
    .number({ error: `${what}: enter an amount in cents (a whole number).` })
    .int(`${what} must be whole cents.`)
    .min(1, `${what} must be more than $0.`)
    .max(MAX_BID_CENTS, `${what} can be at most ${formatCents(MAX_BID_CENTS, { trimZeroCents: true })}.`);

const optionalCents = (what: string) => cents(what).nullable().optional();

const cap = (period: string) =>
  z
    .number({ error: `The ${period} cap must be a whole number of leads.` })
    .int(`The ${period} cap must be a whole number of leads.`)
    .min(0, `The ${period} cap can't be negative (0 buys nothing; leave it empty for no cap).`)
    .max(100_000, `The ${period} cap can be at most 100000.`)
    .nullable()
    .optional();

const httpUrl = (what: string) =>
  z
    .string({ error: `${what} is required.` })
    .trim()
    .min(1, { error: `${what} is required.`, abort: true })
    .max(2000, `${what} is too long.`)
    .refine(
      (v) => /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(v) && URL.canParse(v),
      `${what} must be an http:// or https:// address.`,
    );

export const zipSchema = z.string({ error: "must be 5 digits" }).regex(/^\d{5}$/, "must be 5 digits");

export const serviceZipSchema = z.object({
  zip: zipSchema,
  priority: z
    .number({ error: "priority must be a whole number (1 is the best)" })
    .int("priority must be a whole number (1 is the best)")
    .min(1, "priority must be 1 or more (1 is the best)")
    .max(100, "priority can be at most 100"),
  maxBidCents: optionalCents("The max bid for this zip"),
});

const hm = z.string().refine((v) => parseHm(v) !== null, 'use 24-hour "HH:MM" times, e.g. "08:00" or "17:30"');
const interval = z.tuple([hm, hm], { error: 'each opening is ["HH:MM", "HH:MM"]' });
const hoursShape = Object.fromEntries(
  WEEKDAYS.map((d) => [d, z.array(interval).max(6, "at most 6 openings a day").optional()]),
) as {
  [K in Weekday]: z.ZodOptional<z.ZodArray<typeof interval>>;
};
export const hoursSchema = z
  .strictObject(hoursShape, {
    error: `hours are listed by weekday: ${WEEKDAYS.join(", ")}`,
  })
  .nullable()
  .optional();

export const timeZoneSchema = z
  .string({ error: "Choose a time zone." })
  .trim()
  .refine((v) => v.includes("/") && isValidTimeZone(v), 'Use a time zone name like "America/Chicago".');

export const webhookSecretSchema = z
  .string()
  .trim()
  .regex(
    /^whsec_[A-Za-z0-9+/]{22,}={0,2}$/,
    'A signing secret looks like "whsec_" followed by at least 16 bytes of base64.',
  );

/** The settings a contractor manages itself; an admin manages them too, plus identity fields. */
export const contractorSettingsFields = {
  timeZone: timeZoneSchema,
  hours: hoursSchema,
  capDaily: cap("daily"),
  capWeekly: cap("weekly"),
  capMonthly: cap("monthly"),
  duplicateLookbackDays: z
    .number({ error: "The duplicate look-back must be a whole number of days." })
    .int("The duplicate look-back must be a whole number of days.")
    .min(0, "The duplicate look-back can't be negative (0 turns the check off).")
    .max(365, "The duplicate look-back can be at most 365 days."),
  serviceZips: z.array(serviceZipSchema).max(2000, "At most 2000 zip codes."),
  deliveryMode: z.enum(DELIVERY_MODES, { error: "Choose exclusive or shared delivery." }),
  maxSharedLeads: z
    .number({ error: "Enter how many buyers may share a lead." })
    .int("Enter a whole number of buyers.")
    .min(1, "At least 1.")
    .max(50, "At most 50 buyers can share a lead."),
  pricingModel: z.enum(PRICING_MODELS, { error: "Choose fixed, auction or hybrid pricing." }),
  fixedLeadPriceCents: optionalCents("The fixed price"),
  maxBidCents: optionalCents("The max bid"),
  sharedPriceCents: optionalCents("The shared price"),
  deliveryMethods: z.array(z.enum(DELIVERY_METHODS, { error: "Choose email, webhook or dashboard." })),
  notificationEmail: z.email("Enter a valid email address, e.g. leads@yourcompany.com.").max(320).nullable().optional(),
  webhookUrl: httpUrl("The webhook URL").nullable().optional(),
  /**
   * The days whose hours the person confirmed run past midnight (18:00 → 09:00 the next morning).
   * Not stored: the hours say it; this only keeps a slip for 09:00 → 18:00 from being saved unseen.
   */
  overnightDays: z
    .array(z.enum(WEEKDAYS, { error: `Days are ${WEEKDAYS.join(", ")}.` }))
    .max(7)
    .optional(),
};
export const contractorSettingsSchema = z.strictObject(contractorSettingsFields);
export type ContractorSettings = z.output<typeof contractorSettingsSchema>;

const identityFields = {
  name: z
    .string({ error: "Give the buyer a name." })
    .trim()
    .min(1, "Give the buyer a name.")
    .max(120, "At most 120 characters."),
  active: z.boolean(),
  verticals: z.array(z.string().trim().min(1).max(40)).max(50),
  compliance: z.array(z.enum(COMPLIANCE_REQUIREMENTS, { error: `Use ${COMPLIANCE_REQUIREMENTS.join(" or ")}.` })),
  /** Each required certificate must be claimed with the provider and match the lead (docs/compliance.md). */
  requireClaimedConsent: z.boolean({ error: "Say yes or no to requiring a claimed certificate." }).optional(),
  /** Refuse leads whose phone number fails validation (VALIDATION_FAILED). */
  refuseInvalidPhone: z.boolean({ error: "Say yes or no to refusing invalid phone numbers." }).optional(),
  /** Refuse leads whose email is malformed or at a disposable domain (VALIDATION_FAILED). */
  refuseDisposableEmail: z.boolean({ error: "Say yes or no to refusing disposable emails." }).optional(),
  /** Return terms (docs/returns.md), set by an admin only; left out, they keep their current value. */
  returnWindowDays: z
    .number({ error: "The return window must be a whole number of days." })
    .int("The return window must be a whole number of days.")
    .min(0, "The return window can't be negative (0 allows no returns).")
    .max(90, "The return window can be at most 90 days.")
    .optional(),
  returnCapPercent: z
    .number({ error: "The return cap must be a whole percentage." })
    .int("The return cap must be a whole percentage.")
    .min(0, "The return cap can't be negative.")
    .max(100, "The return cap can be at most 100%.")
    .optional(),
};

export const responseMappingSchema = z
  .strictObject({
    bidPath: z.string().trim().min(1).max(200).optional(),
    acceptedPath: z.string().trim().min(1).max(200).optional(),
    reasonPath: z.string().trim().min(1).max(200).optional(),
    bidUnit: z.enum(["dollars", "cents"]).optional(),
  })
  .nullable()
  .optional();

const templateValue = z.union([z.string().max(500, "At most 500 characters."), z.number().finite(), z.boolean()], {
  error: "A value is text, a number or true/false.",
});

const templateFieldSchema = z.strictObject({
  name: z.string({ error: "Give the buyer's field name." }).trim().min(1, "Give the buyer's field name.").max(200),
  source: z.string().trim().min(1).max(100).optional(),
  value: templateValue.optional(),
  default: templateValue.optional(),
  map: z
    .record(z.string().max(200), z.string().max(500), { error: 'A value map pairs texts: { "TX": "Texas" }.' })
    .refine((m) => Object.keys(m).length <= 300, "At most 300 mapped values.")
    .optional(),
});

/** A ping's or a post's body template; the engine's rules (names, lead fields) run as refinements. */
const bodyTemplateSchema = (kind: RequestKind) =>
  z
    .strictObject({
      format: z.enum(REQUEST_FORMATS, { error: `Choose ${REQUEST_FORMATS.join(", ")}.` }),
      root: z.string().trim().min(1).max(100).optional(),
      fields: z
        .array(templateFieldSchema, { error: "List the fields to send." })
        .min(1, "List at least one field to send.")
        .max(200, "At most 200 fields."),
    })
    .superRefine((t, ctx) => {
      for (const p of bodyTemplateProblems(t, kind)) ctx.addIssue({ code: "custom", path: p.path, message: p.message });
    });

export const requestAuthSchema = z
  .strictObject({
    kind: z.enum(AUTH_KINDS, { error: `Choose ${AUTH_KINDS.join(", ")}.` }),
    username: z.string().trim().min(1).max(200).optional(),
    header: z.string().trim().min(1).max(100).optional(),
  })
  .superRefine((a, ctx) => {
    for (const p of authProblems(a)) ctx.addIssue({ code: "custom", path: p.path, message: p.message });
  });

/** How LeadFlow writes a network's ping and post (engine template.ts); null: its own JSON bodies. */
export const requestTemplateSchema = z
  .strictObject({
    ping: bodyTemplateSchema("ping").nullable().optional(),
    post: bodyTemplateSchema("post").nullable().optional(),
    auth: requestAuthSchema.nullable().optional(),
  })
  .nullable();

/** The auth secret as written (write-only); REDACTED (what an export holds) keeps the stored one. */
export const requestAuthSecretSchema = z.string({ error: "The secret is text." }).superRefine((v, ctx) => {
  const p = v === REDACTED ? null : authSecretProblem(v);
  if (p) ctx.addIssue({ code: "custom", message: p });
});

export const networkFields = {
  ...identityFields,
  timeZone: timeZoneSchema,
  hours: hoursSchema,
  capDaily: cap("daily"),
  capWeekly: cap("weekly"),
  capMonthly: cap("monthly"),
  duplicateLookbackDays: contractorSettingsFields.duplicateLookbackDays,
  serviceZips: contractorSettingsFields.serviceZips,
  pingUrl: httpUrl("The ping URL"),
  postUrl: httpUrl("The post URL"),
  pingTimeoutMs: z
    .number()
    .int()
    .min(50, "The ping timeout must be at least 50 ms.")
    .max(10_000, "The ping timeout can be at most 10000 ms."),
  minBidCents: z.number().int().min(0, "The minimum bid can't be negative.").max(MAX_BID_CENTS),
  responseMapping: responseMappingSchema,
  /** Left out: the buyer keeps its template (an editor that does not show it changes nothing). */
  requestTemplate: requestTemplateSchema.optional(),
  /** Left out or REDACTED: the stored secret stays; null removes it. */
  requestAuthSecret: requestAuthSecretSchema.nullable().optional(),
  /**
   * As for a contractor (contractorSettingsFields.overnightDays). The admin's editor always sends
   * it, as does the network's own terms page, so hours past midnight are refused there unless
   * ticked; left out (an import file, an older client) the hours are taken as written.
   */
  overnightDays: contractorSettingsFields.overnightDays,
};

/**
 * The terms a network buyer edits on its own page (buyers.updateMyTerms): every self-service field
 * but the template, and the days it ticked "Past midnight". Here, not in self-service.ts, so the
 * dashboard runs the same check before it sends (../forms.ts).
 */
export const myTermsTermsSchema = z.strictObject({
  pingUrl: networkFields.pingUrl,
  postUrl: networkFields.postUrl,
  pingTimeoutMs: networkFields.pingTimeoutMs,
  minBidCents: networkFields.minBidCents,
  capDaily: networkFields.capDaily,
  capWeekly: networkFields.capWeekly,
  capMonthly: networkFields.capMonthly,
  timeZone: networkFields.timeZone,
  hours: networkFields.hours,
  serviceZips: networkFields.serviceZips,
  compliance: networkFields.compliance,
  responseMapping: networkFields.responseMapping,
  overnightDays: networkFields.overnightDays,
});

/** The cross-field rules on a network's own terms (caps in order; overnight hours ticked when said). */
export const myTermsProblems = (t: z.output<typeof myTermsTermsSchema>): Problem[] =>
  settingsProblems({ ...t, type: "NETWORK" });

/** A whole buyer as the admin editor and the import file describe it. */
export const buyerInputSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("NETWORK"), ...networkFields }),
    z.strictObject({ type: z.literal("CONTRACTOR"), ...identityFields, ...contractorSettingsFields }),
  ],
  { error: `type must be one of ${BUYER_TYPES.join(", ")}` },
);
export type BuyerInput = z.output<typeof buyerInputSchema>;
export type NetworkInput = Extract<BuyerInput, { type: "NETWORK" }>;
export type ContractorInput = Extract<BuyerInput, { type: "CONTRACTOR" }>;

export interface Problem {
  path: (string | number)[];
  message: string;
}

/**
 * The rules that tie fields together. Each problem names the field the person should change,
 * so the form shows it there. Pure: the schemas above run first.
 */
export function settingsProblems(s: Partial<ContractorSettings> & { type?: string }): Problem[] {
  const out: Problem[] = [];
  const add = (field: string | (string | number)[], message: string) =>
    out.push({ path: Array.isArray(field) ? field : [field], message });
  const seen = new Map<string, number>();
  (s.serviceZips ?? []).forEach((z, i) => {
    const first = seen.get(z.zip);
    if (first !== undefined) add(["serviceZips", i, "zip"], `${z.zip} is listed twice (also in row ${first + 1}).`);
    else seen.set(z.zip, i);
  });
  const { capDaily: d, capWeekly: w, capMonthly: m } = s;
  // A network's hours are checked when the caller said which days run overnight (the admin editor).
  if (s.type !== "NETWORK" || s.overnightDays !== undefined) {
    const confirmed = new Set(s.overnightDays ?? []);
    for (const day of WEEKDAYS) {
      (s.hours?.[day] ?? []).forEach((interval, i) => {
        if (confirmed.has(day) || !crossesMidnight(interval)) return;
        const [from, until] = interval;
        add(
          ["hours", day, i, 1],
          from === until
            ? `Opens and closes at ${from}: that is 24 hours. Tick "Past midnight" if you mean it, or fix the times.`
            : `${from} to ${until} ends the next morning. Tick "Past midnight" if you work overnight, or fix the times.`,
        );
      });
    }
  }
  if (d != null && w != null && w < d) add("capWeekly", "The weekly cap can't be smaller than the daily cap.");
  if (w != null && m != null && m < w) add("capMonthly", "The monthly cap can't be smaller than the weekly cap.");
  if (s.type === "NETWORK") return out;

  if (s.pricingModel === "FIXED" && s.fixedLeadPriceCents == null)
    add("fixedLeadPriceCents", "Fixed pricing needs a fixed price per lead.");
  if ((s.pricingModel === "AUCTION" || s.pricingModel === "HYBRID") && s.maxBidCents == null) {
    add("maxBidCents", `${s.pricingModel === "AUCTION" ? "Auction" : "Hybrid"} pricing needs a max bid.`);
  }
  if (s.pricingModel === "HYBRID") {
    if (s.sharedPriceCents == null)
      add("sharedPriceCents", "Hybrid pricing needs the reduced price you pay for a shared lead.");
    else if (s.maxBidCents != null && s.sharedPriceCents >= s.maxBidCents)
      add("sharedPriceCents", "The shared price must be lower than your max bid.");
  }
  if (s.deliveryMode === "SHARED" && (s.maxSharedLeads ?? 0) < 2)
    add("maxSharedLeads", "Shared delivery needs at least 2 buyers per lead.");
  const methods = s.deliveryMethods ?? [];
  if (methods.length === 0) add("deliveryMethods", "Choose at least one way to receive leads.");
  if (new Set(methods).size !== methods.length) add("deliveryMethods", "Each channel once, please.");
  if (methods.includes("WEBHOOK") && !s.webhookUrl)
    add("webhookUrl", "The webhook channel needs an http:// or https:// URL.");
  if (methods.includes("EMAIL") && !s.notificationEmail)
    add("notificationEmail", "The email channel needs the address leads go to.");
  return out;
}

/** A vertical as buyers.saveVertical takes it (the admin's Verticals form checks with it too, forms.ts). */
export const verticalInput = z.strictObject({
  key: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{1,39}$/, "Use 2-40 lower-case letters, digits or dashes, e.g. roofing."),
  name: z.string().trim().min(1, "Give the vertical a name.").max(80),
  floorCents: z.number().int("Whole cents.").min(0, "The floor can't be negative.").max(1_000_000),
  active: z.boolean(),
});
