import type { AppRouter } from "@leadflow/api";
import type { inferRouterOutputs } from "@trpc/server";

export type Source = inferRouterOutputs<AppRouter>["sources"]["list"][number];
export type RuleView = Source["rules"][number];
export type PayoutRuleKind = RuleView["kind"];
export const PAYOUT_RULE_KINDS = [
  "FIXED_PER_LEAD",
  "REVENUE_SHARE",
  "BID_MINUS_MARGIN",
] as const satisfies readonly PayoutRuleKind[];

export const PAYOUT_RULE_LABELS: Record<PayoutRuleKind, string> = {
  FIXED_PER_LEAD: "Fixed amount per sold lead",
  REVENUE_SHARE: "Share of the sale price",
  BID_MINUS_MARGIN: "Sale price minus a margin",
};

export const usd = (cents: number | null | undefined) =>
  cents == null ? "–" : (cents / 100).toLocaleString("en-US", { style: "currency", currency: "USD" });

/** A rule in words: "Share of the sale price: 40% (LeadFlow keeps at least $3.00)". */
export function describeRule(r: RuleView): string {
  const amount =
    r.kind === "FIXED_PER_LEAD"
      ? usd(r.fixedCents)
      : r.kind === "REVENUE_SHARE"
        ? `${((r.shareBp ?? 0) / 100).toFixed(2).replace(/\.00$/, "")}%`
        : `LeadFlow keeps ${usd(r.marginCents)}`;
  return `${PAYOUT_RULE_LABELS[r.kind]}: ${amount}${r.minMarginCents > 0 ? ` (LeadFlow keeps at least ${usd(r.minMarginCents)})` : ""}`;
}
