/**
 * Every value list of the auction. The db package builds its pgEnums from these arrays, the api its
 * zod enums, and diagram.test.ts checks docs/lead-flow.mmd against them: one source of truth.
 */

export const BUYER_TYPES = ["NETWORK", "CONTRACTOR"] as const;
export type BuyerType = (typeof BUYER_TYPES)[number];

export const DELIVERY_MODES = ["EXCLUSIVE", "SHARED"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const PRICING_MODELS = ["FIXED", "AUCTION", "HYBRID"] as const;
export type PricingModel = (typeof PRICING_MODELS)[number];

export const DELIVERY_METHODS = ["EMAIL", "WEBHOOK", "DASHBOARD"] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** Why a buyer did not get a lead; grouped by the phase that produces it. */
/**
 * SUPPRESSED: the person is on a suppression list (global or the buyer's own) or, where the lead's
 * vertical applies those checks, on the do-not-call registry or a litigator list: never pinged.
 */
export const PING_LOST_REASONS = [
  "TIMEOUT",
  "NO_BID",
  "BELOW_MIN_BID",
  "COMPLIANCE_MISSING",
  "VALIDATION_FAILED",
  "SUPPRESSED",
] as const;
export const POST_LOST_REASONS = [
  "OUTBID",
  "POST_REJECTED",
  "DUPLICATE_LEAD",
  "OUTSIDE_HOURS",
  "CAP_REACHED",
  "INSUFFICIENT_FUNDS",
  "CASCADE_EXHAUSTED",
] as const;
export const CONTRACTOR_LOST_REASONS = ["NOT_SELECTED", "EXCLUSIVE_TAKEN", "LOWER_PRIORITY"] as const;
export const LOST_REASONS = [...PING_LOST_REASONS, ...POST_LOST_REASONS, ...CONTRACTOR_LOST_REASONS] as const;
export type LostReason = (typeof LOST_REASONS)[number];

/** The reasons a POST (or a contractor's sale claim) can be turned down with. */
export const REJECTION_REASONS = [
  "POST_REJECTED",
  "DUPLICATE_LEAD",
  "OUTSIDE_HOURS",
  "CAP_REACHED",
  "INSUFFICIENT_FUNDS",
  "COMPLIANCE_MISSING",
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * The rules checked again at the moment of sale (checkSaleRules): hours, caps and money budgets
 * (CAP_REACHED), duplicates, funds (a prepaid balance or a credit limit). Whether
 * the start of the auction or the sale finds one of them broken is only a matter of timing, so both
 * end the same way: the buyer could not take the lead (see conductAuction's unsold reasons).
 */
export const SALE_RULE_REASONS = [
  "OUTSIDE_HOURS",
  "CAP_REACHED",
  "DUPLICATE_LEAD",
  "INSUFFICIENT_FUNDS",
] as const satisfies readonly RejectionReason[];
export type SaleRuleReason = (typeof SALE_RULE_REASONS)[number];

/**
 * Why a buyer was not even asked. Kept apart from LOST_REASONS because the buyer never competed:
 * these appear on the lead's timeline, never on a transaction.
 */
export const NOT_ELIGIBLE_CODES = ["INACTIVE", "WRONG_VERTICAL", "NOT_IN_AREA", "NO_PRICE"] as const;
export type NotEligibleCode = (typeof NOT_ELIGIBLE_CODES)[number];

export const PING_OUTCOMES = ["BID", "NO_BID", "TIMEOUT", "ERROR"] as const;
export type PingOutcome = (typeof PING_OUTCOMES)[number];

/**
 * RECEIVED → PROCESSING → SOLD | UNSOLD, or RECEIVED → REJECTED (refused before any buyer saw it).
 * SOLD, UNSOLD and REJECTED are terminal: a lead ends in exactly one of them, once.
 */
export const LEAD_STATUSES = ["RECEIVED", "PROCESSING", "SOLD", "UNSOLD", "REJECTED"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const TERMINAL_LEAD_STATUSES = ["SOLD", "UNSOLD", "REJECTED"] as const satisfies readonly LeadStatus[];
export type TerminalLeadStatus = (typeof TERMINAL_LEAD_STATUSES)[number];

/** Why an UNSOLD lead is unsold; stored on the lead so the analytics count leads, not buyers. */
export const UNSOLD_REASONS = ["NO_ELIGIBLE_BUYERS", "NO_VALID_BIDS", "CASCADE_EXHAUSTED"] as const;
export type UnsoldReason = (typeof UNSOLD_REASONS)[number];

/** PING and POST are network calls; DIRECT is a contractor's participation (bid or delivery). */
export const TRANSACTION_KINDS = ["PING", "POST", "DIRECT"] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/** Consent evidence a buyer may insist on before it will pay for a lead. */
export const COMPLIANCE_REQUIREMENTS = ["TRUSTED_FORM", "JORNAYA"] as const;
export type ComplianceRequirement = (typeof COMPLIANCE_REQUIREMENTS)[number];

/** What the provider answered when a consent certificate was claimed (api compliance/consent). */
export const CONSENT_CLAIM_STATUSES = ["CLAIMED", "FAILED", "ERROR"] as const;
export type ConsentClaimStatus = (typeof CONSENT_CLAIM_STATUSES)[number];

/** A lead's phone as validated at intake: a real number for its country, or not, or none given. */
export const PHONE_CHECKS = ["VALID", "INVALID", "MISSING"] as const;
export type PhoneCheck = (typeof PHONE_CHECKS)[number];

/** A lead's email as validated at intake: DISPOSABLE is well-formed but at a throwaway domain. */
export const EMAIL_CHECKS = ["VALID", "INVALID", "DISPOSABLE", "MISSING"] as const;
export type EmailCheck = (typeof EMAIL_CHECKS)[number];
/** The screens a vertical may apply to its leads before any buyer sees them (verticals' settings). */
export const COMPLIANCE_CHECKS = ["SUPPRESSION", "DNC", "LITIGATOR"] as const;
export type ComplianceCheck = (typeof COMPLIANCE_CHECKS)[number];
/**
 * How a buyer pays (docs/billing.md): PREPAID spends a balance that may never go below zero;
 * CREDIT_LIMIT may go below zero down to its credit limit; INVOICED is billed with no limit.
 */
export const BILLING_MODES = ["PREPAID", "CREDIT_LIMIT", "INVOICED"] as const;
export type BillingMode = (typeof BILLING_MODES)[number];

/**
 * A buyer's ledger entry: a top-up (by an admin), a charge at each sale, a release when a reserved
 * sale is undone (its POST refused), a credit at each approved return.
 */
export const BUYER_LEDGER_KINDS = ["TOP_UP", "CHARGE", "RELEASE", "RETURN_CREDIT"] as const;
export type BuyerLedgerKind = (typeof BUYER_LEDGER_KINDS)[number];

/** Every list above, by name: what the diagram must name and may name (see diagram.test.ts). */
export const AUCTION_VALUE_LISTS = {
  BUYER_TYPES,
  DELIVERY_MODES,
  PRICING_MODELS,
  DELIVERY_METHODS,
  LOST_REASONS,
  NOT_ELIGIBLE_CODES,
  PING_OUTCOMES,
  LEAD_STATUSES,
  UNSOLD_REASONS,
  TRANSACTION_KINDS,
  COMPLIANCE_REQUIREMENTS,
} as const;

const LEAD_TRANSITIONS: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  RECEIVED: ["PROCESSING", "REJECTED"],
  PROCESSING: ["SOLD", "UNSOLD"],
  SOLD: [],
  UNSOLD: [],
  REJECTED: [],
};

/** The db layer turns this into `UPDATE … WHERE status = from`, so a lead leaves PROCESSING once. */
export function canTransition(from: LeadStatus, to: LeadStatus): boolean {
  return LEAD_TRANSITIONS[from].includes(to);
}

export function isTerminal(status: LeadStatus): status is TerminalLeadStatus {
  return (TERMINAL_LEAD_STATUSES as readonly string[]).includes(status);
}

export function isLostReason(value: string): value is LostReason {
  return (LOST_REASONS as readonly string[]).includes(value);
}
