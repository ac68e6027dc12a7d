/**
 * Who takes part, and how, before any I/O. Two phases:
 *  A. the auction, run when at least one network is eligible: networks are pinged, AUCTION-priced
 *     contractors join with their max bid and no ping;
 *  B. contractor direct delivery, run when phase A does not exist or does not sell. Its pool is the
 *     eligible contractors that did not already compete in phase A: FIXED and HYBRID ones after an
 *     auction (an AUCTION contractor that lost there was rejected or below the floor, and would be
 *     again), every eligible contractor when there was no auction.
 */
import { checkEligibility, type EligibilityVerdict } from "./eligibility";
import type { PingRecord } from "./finalize";
import type { BidCandidate } from "./ranking";
import { maxBidFor } from "./pricing";
import {
  NO_SALES,
  type AuctionLead,
  type Buyer,
  type BuyerCounters,
  type ContractorBuyer,
  type NetworkBuyer,
} from "./types";
import type { DeliveryMethod } from "./values";
import type { Clock } from "../clock";

export interface AuctionPlan {
  at: Date;
  /** One per buyer, in input order: the lead timeline's "who was considered and why". */
  verdicts: EligibilityVerdict[];
  /** Phase A runs iff this is non-empty. */
  networks: NetworkBuyer[];
  /** AUCTION contractors' standing bids for phase A (empty when phase A does not run). */
  auctionBids: BidCandidate[];
  /** Phase B's pool. */
  directContractors: ContractorBuyer[];
}

export function planAuction(
  lead: AuctionLead,
  buyers: readonly Buyer[],
  counters: Readonly<Record<string, BuyerCounters>>,
  clock: Clock,
): AuctionPlan {
  const at = clock.now();
  const verdicts: EligibilityVerdict[] = [];
  const networks: NetworkBuyer[] = [];
  const contractors: ContractorBuyer[] = [];
  const seen = new Set<string>();
  for (const buyer of buyers) {
    if (seen.has(buyer.id)) continue; // one verdict, one ping per buyer even if listed twice
    seen.add(buyer.id);
    const verdict = checkEligibility(lead, buyer, counters[buyer.id] ?? NO_SALES, at);
    verdicts.push(verdict);
    if (!verdict.eligible) continue;
    if (buyer.type === "NETWORK") networks.push(buyer);
    else contractors.push(buyer);
  }
  if (networks.length === 0) return { at, verdicts, networks, auctionBids: [], directContractors: contractors };
  const auctionBids: BidCandidate[] = [];
  const directContractors: ContractorBuyer[] = [];
  for (const c of contractors) {
    const bid = c.pricingModel === "AUCTION" ? maxBidFor(c, lead.zip) : null;
    if (bid === null) directContractors.push(c);
    else auctionBids.push(contractorBid(c, bid));
  }
  return { at, verdicts, networks, auctionBids, directContractors };
}

function contractorBid(c: ContractorBuyer, amountCents: number): BidCandidate {
  return {
    buyerId: c.id,
    buyerType: "CONTRACTOR",
    amountCents,
    minBidCents: 0,
    respondedAfterMs: 0,
    compliance: c.compliance ?? [],
  };
}

/** The BID pings as ranking candidates, carrying each network's own floor and requirements. */
export function pingBids(pings: readonly PingRecord[], networks: readonly NetworkBuyer[]): BidCandidate[] {
  const byId = new Map(networks.map((n) => [n.id, n]));
  const bids: BidCandidate[] = [];
  for (const p of pings) {
    const n = byId.get(p.buyerId);
    if (p.outcome !== "BID" || p.bidCents === undefined || !n) continue;
    bids.push({
      buyerId: n.id,
      buyerType: "NETWORK",
      amountCents: p.bidCents,
      minBidCents: n.minBidCents,
      respondedAfterMs: p.latencyMs ?? Number.MAX_SAFE_INTEGER,
      compliance: n.compliance ?? [],
      ...(n.returnRateBp != null ? { returnRateBp: n.returnRateBp } : {}),
    });
  }
  return bids;
}

/**
 * How a winner is told. A network's POST is its delivery (WEBHOOK). A contractor gets every channel
 * it turned on, and the dashboard when it turned on none: a sold lead must land somewhere.
 */
export function deliveryMethodsFor(buyer: Buyer): DeliveryMethod[] {
  if (buyer.type === "NETWORK") return ["WEBHOOK"];
  const methods = [...new Set(buyer.deliveryMethods ?? [])];
  return methods.length > 0 ? methods : ["DASHBOARD"];
}
