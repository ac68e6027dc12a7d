/**
 * The seller side's value lists. The db package builds its pgEnums from these, the api its zod
 * enums, and docs/lead-flow.mmd names each (diagram.test.ts): one source of truth.
 */

/** How a source is paid for a sold lead (payout.ts). */
export const PAYOUT_RULE_KINDS = ["FIXED_PER_LEAD", "REVENUE_SHARE", "BID_MINUS_MARGIN"] as const;
export type PayoutRuleKind = (typeof PAYOUT_RULE_KINDS)[number];

/** A payout ledger entry: the payout earned at sale, and its reversal by an approved return. */
export const PAYOUT_ENTRY_KINDS = ["PAYOUT", "PAYOUT_REVERSAL"] as const;
export type PayoutEntryKind = (typeof PAYOUT_ENTRY_KINDS)[number];

/** Why a post is refused before anything is written (HTTP 4xx; docs/api.md). */
export const POST_REFUSALS = [
  "PING_UNKNOWN",
  "PING_EXPIRED",
  "PING_USED",
  "PING_NOT_ACCEPTED",
  "PING_MISMATCH",
] as const;
export type PostRefusal = (typeof POST_REFUSALS)[number];

export const SELLER_VALUE_LISTS = { PAYOUT_RULE_KINDS, PAYOUT_ENTRY_KINDS, POST_REFUSALS } as const;

/**
 * The status webhooks a seller's URL receives (docs/api.md "Seller status webhooks"): a lead's
 * terminal outcome, an approved return, and the test the seller sends from its Webhooks page.
 */
export const SELLER_EVENT_TYPES = ["lead.sold", "lead.unsold", "lead.returned", "webhook.test"] as const;
export type SellerEventType = (typeof SELLER_EVENT_TYPES)[number];
