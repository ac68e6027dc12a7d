import { z } from "zod";

// The sim is configured by people writing JSON by hand (demo, benchmarks, tests), so every
// schema carries defaults and every refusal names the field that is wrong.

const nonNegative = z.number().finite().nonnegative();
const probability = z.number().min(0).max(1);

const fixed = z.object({ kind: z.literal("fixed"), value: nonNegative });
const uniform = z
  .object({ kind: z.literal("uniform"), min: nonNegative, max: nonNegative })
  .refine((d) => d.min <= d.max, { message: "min must be ≤ max", path: ["max"] });
// Clipped rather than rejected: a normal's tail would otherwise give negative latencies/bids.
const normal = z
  .object({
    kind: z.literal("normal"),
    mean: nonNegative,
    sd: nonNegative,
    min: nonNegative.default(0),
    max: nonNegative.optional(),
  })
  .refine((d) => d.max === undefined || d.min <= d.max, { message: "min must be ≤ max", path: ["max"] });
// Parameterised by the median (in the distribution's unit) because nobody thinks in ln(ms).
const lognormal = z.object({
  kind: z.literal("lognormal"),
  median: z.number().finite().positive(),
  sigma: nonNegative,
  max: nonNegative.optional(),
});

export const LatencySchema = z.discriminatedUnion("kind", [fixed, uniform, normal, lognormal]);
export const BidSchema = z.discriminatedUnion("kind", [fixed, uniform, normal]);
export type Distribution = z.output<typeof LatencySchema>;

export const FAILURE_MODES = ["hang", "error500", "reset", "malformed", "huge", "trickle"] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

export const FailureRatesSchema = z
  .object({
    hang: probability.default(0),
    error500: probability.default(0),
    reset: probability.default(0),
    malformed: probability.default(0),
    huge: probability.default(0),
    trickle: probability.default(0),
  })
  .refine((r) => FAILURE_MODES.reduce((s, m) => s + r[m], 0) <= 1 + 1e-9, {
    message: "failure probabilities must add up to at most 1",
  });
export type FailureRates = z.output<typeof FailureRatesSchema>;

export const DEFAULT_REJECT_REASONS = ["duplicate", "cap reached", "outside hours", "invalid phone"];

export const NetworkConfigSchema = z.strictObject({
  /** Per-buyer seed; without it one is derived from the sim seed and the buyer id. */
  seed: z.number().int().optional(),
  latencyMs: LatencySchema.default({ kind: "fixed", value: 0 }),
  /** In dollars, the unit most networks answer in; the nested format converts to cents. */
  bid: BidSchema.default({ kind: "fixed", value: 10 }),
  noBidProbability: probability.default(0),
  rejectRate: probability.default(0),
  rejectReasons: z.array(z.string().min(1)).min(1).default(DEFAULT_REJECT_REASONS),
  failures: z
    .strictObject({ ping: FailureRatesSchema.prefault({}), post: FailureRatesSchema.prefault({}) })
    .prefault({}),
  format: z.enum(["default", "nested"]).default("default"),
  hugeBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  trickleMs: z.number().int().min(1).max(120_000).default(3000),
});
export type NetworkConfig = z.output<typeof NetworkConfigSchema>;
export type NetworkConfigInput = z.input<typeof NetworkConfigSchema>;

const epochOrIso = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

export const ContractorConfigSchema = z.strictObject({
  seed: z.number().int().optional(),
  /** Standard Webhooks secret: base64, optionally prefixed with "whsec_". */
  secret: z
    .string()
    .regex(/^(whsec_)?[A-Za-z0-9+/]+={0,2}$/, 'secret must be base64, optionally prefixed with "whsec_"'),
  down: z.boolean().default(false),
  /** Epoch ms or ISO date-time; the endpoint is down until then. */
  downUntil: epochOrIso.nullable().default(null),
  /** "503" answers Service Unavailable; "refuse" resets the connection. */
  downMode: z.enum(["503", "refuse"]).default("503"),
  failureProbability: probability.default(0),
  latencyMs: LatencySchema.default({ kind: "fixed", value: 0 }),
});
export type ContractorConfig = z.output<typeof ContractorConfigSchema>;
export type ContractorConfigInput = z.input<typeof ContractorConfigSchema>;

// Ids become URL path segments, so keep them to characters that never need escaping.
export const BuyerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, "buyer id must be 1-64 characters of A-Z a-z 0-9 _ . -");

export const BuyerSimConfigSchema = z.strictObject({
  seed: z.number().int().default(1),
  networks: z.record(BuyerIdSchema, NetworkConfigSchema).default({}),
  contractors: z.record(BuyerIdSchema, ContractorConfigSchema).default({}),
  /** Request bodies above this are refused with 413. */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Pings remembered per network for the POST check; the oldest are forgotten first. */
  maxRememberedPings: z.number().int().positive().default(100_000),
});
export type BuyerSimConfig = z.output<typeof BuyerSimConfigSchema>;
export type BuyerSimConfigInput = z.input<typeof BuyerSimConfigSchema>;

export class BuyerSimConfigError extends Error {
  readonly code = "BUYER_SIM_CONFIG_INVALID";
  constructor(
    what: string,
    readonly issues: z.core.$ZodIssue[],
    pretty: string,
  ) {
    super(`Invalid ${what}:\n${pretty}`);
    this.name = "BuyerSimConfigError";
  }
}

/** One line per issue with a dotted path ("networks.net-a.latencyMs.max"), the form people type. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      // A bad record key carries its real complaint one level down.
      const detail = i.code === "invalid_key" ? `invalid key: ${i.issues.map((k) => k.message).join("; ")}` : i.message;
      return `✖ ${detail}${i.path.length ? ` (at ${i.path.map(String).join(".")})` : ""}`;
    })
    .join("\n");
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new BuyerSimConfigError(what, r.error.issues, formatIssues(r.error.issues));
}

export const parseBuyerSimConfig = (input: unknown): BuyerSimConfig =>
  parseWith(BuyerSimConfigSchema, input, "buyer-sim config");
export const parseNetworkConfig = (input: unknown): NetworkConfig =>
  parseWith(NetworkConfigSchema, input, "network config");
export const parseContractorConfig = (input: unknown): ContractorConfig =>
  parseWith(ContractorConfigSchema, input, "contractor config");
