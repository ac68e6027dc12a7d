/**
 * Who gets the first POST. Bids that may not win are set aside with their reason; the rest are
 * sorted by amount, and ties go to the earlier answer, then the lower buyer id, so the same bids
 * always rank the same way (replay depends on it).
 */
import { netBidValueCents } from "../returns/rules";
import { missingCompliance } from "./eligibility";
import { formatCents } from "./money";
import type { LeadConsent } from "./types";
import type { BuyerType, ComplianceRequirement } from "./values";

export interface BidCandidate {
  buyerId: string;
  buyerType: BuyerType;
  amountCents: number;
  /** The buyer's own floor (a network's min bid; 0 for contractors). */
  minBidCents: number;
  /**
   * ms from the start of the ping phase to the answer. AUCTION contractors bid without a ping and
   * use 0: a standing bid was there first.
   */
  respondedAfterMs: number;
  compliance?: readonly ComplianceRequirement[];
  /** A network's approved returns per 10,000 leads bought (see RankRules.netOfReturns). */
  returnRateBp?: number | null;
}

export interface RankedBid extends BidCandidate {
  /** 1 is the best bid. */
  rank: number;
}

export interface SetAsideBid {
  bid: BidCandidate;
  lostReason: "BELOW_MIN_BID" | "COMPLIANCE_MISSING";
  detail: string;
}

export interface RankRules {
  /** The seller's floor for the vertical; a bid must reach max(this, the buyer's min bid). */
  verticalFloorCents: number;
  consent: LeadConsent;
  /**
   * Off by default. On: a network's bid ranks by its value net of that network's return rate
   * (amount × (1 − rate), netBidValueCents), so a buyer that sends back many leads must bid more to
   * win. Floors still apply to the amount bid, and the winner still pays its bid.
   */
  netOfReturns?: boolean;
}

export interface Ranking {
  ranked: RankedBid[];
  setAside: SetAsideBid[];
}

/** The order bids are posted in: higher amount, then earlier answer, then lower buyer id. */
export function compareBids(a: BidCandidate, b: BidCandidate): number {
  if (a.amountCents !== b.amountCents) return b.amountCents - a.amountCents;
  if (a.respondedAfterMs !== b.respondedAfterMs) return a.respondedAfterMs - b.respondedAfterMs;
  return a.buyerId < b.buyerId ? -1 : a.buyerId > b.buyerId ? 1 : 0;
}

/** ranked ∪ setAside is always a permutation of the input: no bid disappears unexplained. */
export function rankBids(bids: readonly BidCandidate[], rules: RankRules): Ranking {
  const setAside: SetAsideBid[] = [];
  const eligible: BidCandidate[] = [];
  for (const bid of bids) {
    // Compliance first: a buyer that may not legally take the lead is told so, whatever it bid.
    const missing = missingCompliance(bid.compliance, rules.consent);
    if (missing.length > 0) {
      setAside.push({ bid, lostReason: "COMPLIANCE_MISSING", detail: `requires ${missing.join(", ")}` });
      continue;
    }
    const floor = Math.max(bid.minBidCents, rules.verticalFloorCents);
    if (!(bid.amountCents >= floor) || bid.amountCents <= 0) {
      const whose = bid.minBidCents >= rules.verticalFloorCents ? "buyer's min bid" : "vertical floor";
      setAside.push({
        bid,
        lostReason: "BELOW_MIN_BID",
        detail: `bid ${formatCents(bid.amountCents)} below ${whose} ${formatCents(floor)}`,
      });
      continue;
    }
    eligible.push(bid);
  }
  const order = rules.netOfReturns ? compareNetOfReturns : compareBids;
  const ranked = eligible.sort(order).map((b, i) => ({ ...b, rank: i + 1 }));
  return { ranked, setAside };
}

/** A network's bid at its value net of returns; contractors' standing bids at face value. */
export function rankingValueCents(bid: BidCandidate): number {
  return bid.buyerType === "NETWORK" ? netBidValueCents(bid.amountCents, bid.returnRateBp) : bid.amountCents;
}

function compareNetOfReturns(a: BidCandidate, b: BidCandidate): number {
  const va = rankingValueCents(a);
  const vb = rankingValueCents(b);
  return va !== vb ? vb - va : compareBids(a, b);
}
