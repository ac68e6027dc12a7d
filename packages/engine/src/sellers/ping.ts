/**
 * The inbound ping: what LeadFlow would earn for a partial lead, from the same plan, pings and
 * ranking the auction uses, and the rules a post must meet to use the bids held with it.
 */
import { selectContractors, rankContractors } from "../auction/contractors";
import type { PingRecord } from "../auction/finalize";
import { pingBids, type AuctionPlan } from "../auction/plan";
import { rankBids } from "../auction/ranking";
import type { LeadConsent } from "../auction/types";
import { payoutFor, type PayoutRule, type PayoutVerdict } from "./payout";

export interface PingQuote extends PayoutVerdict {
  /** The best sale the bids promise: the top ranked bid, else the direct contractors' price. */
  bestBidCents: number | null;
}

export function quotePing(
  plan: AuctionPlan,
  pings: readonly PingRecord[],
  rules: { verticalFloorCents: number; consent: LeadConsent; netOfReturns: boolean; zip: string },
  payout: PayoutRule | null,
): PingQuote {
  const ranking = rankBids([...pingBids(pings, plan.networks), ...plan.auctionBids], rules);
  let best: number | null = ranking.ranked[0]?.amountCents ?? null;
  if (best === null) {
    const direct = selectContractors(rankContractors(plan.directContractors, rules.zip));
    best = direct.winners.length > 0 ? direct.revenueCents : null;
  }
  return { bestBidCents: best, ...payoutFor(payout, best ?? 0) };
}

/** A ping may be posted strictly before expiresAt: at that very millisecond it has expired. */
export function pingExpired(expiresAt: Date, now: Date): boolean {
  return now.getTime() >= expiresAt.getTime();
}

/** The partial lead a ping carries; a post must repeat it exactly. */
export interface PartialLead {
  vertical: string;
  zip: string;
  state: string | null;
  consent: LeadConsent;
  customFields: Record<string, unknown>;
}

/** The fields of the post that differ from its ping, by name ("zip", "customFields.age"). */
export function partialMismatch(ping: PartialLead, post: PartialLead): string[] {
  const out: string[] = [];
  if (ping.vertical !== post.vertical) out.push("vertical");
  if (ping.zip !== post.zip) out.push("zip");
  if ((ping.state ?? null) !== (post.state ?? null)) out.push("state");
  for (const k of ["trustedFormCertUrl", "jornayaLeadId"] as const) {
    if ((ping.consent[k] ?? null) !== (post.consent[k] ?? null)) out.push(`consent.${k}`);
  }
  const keys = new Set([...Object.keys(ping.customFields), ...Object.keys(post.customFields)]);
  for (const k of [...keys].sort()) {
    if (!Object.is(ping.customFields[k] ?? null, post.customFields[k] ?? null)) out.push(`customFields.${k}`);
  }
  return out;
}
