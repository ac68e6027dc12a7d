/**
 * What a source (a seller org, optionally per vertical) is paid for a lead, and whether LeadFlow
 * takes a ping at all. Pure: the services load the rule and the sale, this decides.
 *
 * The minimum margin is what LeadFlow keeps at least. A ping whose best bid would leave less
 * (bid − the rule's payout < minimum) is answered accepted: false. At sale the payout is capped so
 * the margin is kept even when the cascade sold below the quoted bid: payout ≤ revenue − minimum.
 */
import type { PayoutRuleKind } from "./values";

export interface PayoutRule {
  kind: PayoutRuleKind;
  /** FIXED_PER_LEAD: cents per sold lead. */
  fixedCents?: number | null;
  /** REVENUE_SHARE: basis points of the sale (2500 = 25 %). */
  shareBp?: number | null;
  /** BID_MINUS_MARGIN: cents LeadFlow keeps from the sale. */
  marginCents?: number | null;
  minMarginCents: number;
}

export interface PayoutVerdict {
  /** LeadFlow takes a lead that sells for this much. */
  accepted: boolean;
  payoutCents: number;
  /** revenue − payout: what LeadFlow keeps before returns. */
  marginCents: number;
}

const nonNeg = (n: number | null | undefined) => Math.max(0, Math.trunc(n ?? 0));

/** The rule alone, before the minimum margin: never below 0 nor above the revenue. */
export function rulePayoutCents(rule: PayoutRule, revenueCents: number): number {
  const revenue = nonNeg(revenueCents);
  let raw: number;
  switch (rule.kind) {
    case "FIXED_PER_LEAD":
      raw = nonNeg(rule.fixedCents);
      break;
    case "REVENUE_SHARE":
      // Integer cents, rounded down: the seller is never paid a fraction LeadFlow did not earn.
      raw = Math.floor((revenue * Math.min(10_000, nonNeg(rule.shareBp))) / 10_000);
      break;
    case "BID_MINUS_MARGIN":
      raw = revenue - nonNeg(rule.marginCents);
      break;
  }
  return Math.min(revenue, Math.max(0, raw));
}

/**
 * The verdict for a lead that sells (or would sell, at a ping) for `revenueCents`. No rule: the
 * source has no agreed payout, so it earns nothing and a lead is taken whenever it sells.
 */
export function payoutFor(rule: PayoutRule | null, revenueCents: number): PayoutVerdict {
  const revenue = nonNeg(revenueCents);
  if (!rule) return { accepted: revenue > 0, payoutCents: 0, marginCents: revenue };
  const min = nonNeg(rule.minMarginCents);
  const raw = rulePayoutCents(rule, revenue);
  const payoutCents = Math.max(0, Math.min(raw, revenue - min));
  return { accepted: revenue > 0 && revenue - raw >= min, payoutCents, marginCents: revenue - payoutCents };
}

/** A rule for a vertical wins over the source's rule for all verticals. */
export function pickPayoutRule<R extends { vertical: string | null }>(rules: readonly R[], vertical: string): R | null {
  return rules.find((r) => r.vertical === vertical) ?? rules.find((r) => r.vertical === null) ?? null;
}

/**
 * An approved return reverses the payout when it comes within the source's return window after
 * the sale; later, the source keeps its payout and LeadFlow alone carries the credit.
 */
export function payoutReversalCents(
  payoutCents: number,
  soldAt: Date,
  returnedAt: Date,
  returnWindowDays: number,
): number | null {
  if (payoutCents <= 0) return null;
  const within = returnedAt.getTime() - soldAt.getTime() <= Math.max(0, returnWindowDays) * 86_400_000;
  return within ? payoutCents : null;
}
