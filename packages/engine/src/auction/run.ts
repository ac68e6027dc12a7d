/**
 * conductAuction: the whole decision for one lead, with every effect behind a port the service
 * supplies (pings over HTTP, POSTs, sale claims in a database transaction). The engine owns the
 * order of things (plan, ping, rank, cascade, fall back, settle) so the service cannot get it
 * wrong, and a recorded lead replays through the same code with recorded answers as ports.
 */
import { deliverWithCascade, type FinalCascadeStep } from "./cascade";
import { rankContractors, selectContractors, type ContractorSelection, type ContractorWinner } from "./contractors";
import {
  finalizeAuction,
  finalizeSelection,
  refusalText,
  unsoldReasonOf,
  type AuctionPhaseResult,
  type AuctionRecord,
  type PingRecord,
} from "./finalize";
import { formatCents } from "./money";
import { pingBids, planAuction, type AuctionPlan } from "./plan";
import { rankBids, type RankedBid } from "./ranking";
import type { PostResult } from "./response";
import type { AuctionLead, Buyer, BuyerCounters, ContractorBuyer, NetworkBuyer } from "./types";
import type { DeliveryMode, TerminalLeadStatus, UnsoldReason } from "./values";
import type { Clock } from "../clock";

export interface AuctionInput {
  lead: AuctionLead;
  buyers: readonly Buyer[];
  counters: Readonly<Record<string, BuyerCounters>>;
  verticalFloorCents: number;
  /** Rank network bids net of each network's return rate (the vertical's setting; off by default). */
  netOfReturns?: boolean;
}

export interface AuctionPorts {
  clock: Clock;
  /** Pings every network in parallel under one deadline; one record per network, TIMEOUT included. */
  ping(networks: readonly NetworkBuyer[], plan: AuctionPlan): Promise<PingRecord[]>;
  /**
   * Sells to one phase-A bidder: a network POST, or for an AUCTION contractor a sale claim. Either way
   * the sale rules (checkSaleRules) are re-checked inside the sale transaction first; a refusal by
   * them comes back with stage "RULES" (nothing was sent), a network's POST answer with "POST".
   */
  post(bid: RankedBid, position: number): Promise<PostResult>;
  /** Claims a phase-B sale for one contractor, the same way (stage "RULES" when the rules refuse it). */
  claim(winner: ContractorWinner, mode: DeliveryMode): Promise<PostResult>;
}

export interface LeadOutcome {
  status: Extract<TerminalLeadStatus, "SOLD" | "UNSOLD">;
  unsoldReason: UnsoldReason | null;
  soldVia: "AUCTION" | "DIRECT" | null;
  revenueCents: number;
  plan: AuctionPlan;
  auction: AuctionPhaseResult | null;
  direct: ContractorSelection | null;
  /** One per buyer that took part (pinged, bid, posted or offered the lead directly). */
  records: AuctionRecord[];
}

export async function conductAuction(input: AuctionInput, ports: AuctionPorts): Promise<LeadOutcome> {
  const { lead } = input;
  const plan = planAuction(lead, input.buyers, input.counters, ports.clock);
  let auction: AuctionPhaseResult | null = null;
  if (plan.networks.length > 0) {
    const pings = await safePing(ports, plan);
    const ranking = rankBids([...pingBids(pings, plan.networks), ...plan.auctionBids], {
      verticalFloorCents: input.verticalFloorCents,
      consent: lead.consent,
      netOfReturns: input.netOfReturns ?? false,
    });
    const cascade: FinalCascadeStep = await deliverWithCascade(ranking.ranked, (b, p) => postOrClaim(ports, b, p));
    auction = finalizeAuction({ pings, ranking, cascade });
    if (auction.sold) {
      const standby = plan.directContractors.map((c) => ({
        ...blank(c.id),
        lostReason: "NOT_SELECTED" as const,
        winningBidAmountCents: auction?.revenueCents ?? null,
        detail: `sold in the auction for ${formatCents(auction?.revenueCents ?? 0)} before direct delivery`,
      }));
      return outcome(plan, auction, null, [...auction.records, ...standby], "AUCTION", auction.revenueCents, null);
    }
  }
  const { selection, failed } = await deliverDirect(plan.directContractors, lead.zip, (w, m) => ports.claim(w, m));
  const paid = selection.winners[selection.winners.length - 1]?.priceCents ?? null;
  const failedRecords = [...failed].map(([id, r]) => ({
    ...blank(id),
    lostReason: r.lostReason ?? ("POST_REJECTED" as const),
    winningBidAmountCents: paid,
    detail: `${refusalText(r.stage ?? "SALE", null)}${r.rawReason ? `: ${r.rawReason}` : ""}`,
  }));
  const records = [...(auction?.records ?? []), ...finalizeSelection(selection), ...failedRecords];
  if (selection.winners.length > 0) {
    return outcome(plan, auction, selection, records, "DIRECT", selection.revenueCents, null);
  }
  // A buyer refused by the sale rules at the moment of sale counts as refused by eligibility: the
  // same rule, found a little later (see unsoldReasonOf).
  const ruled = new Set([
    ...(auction?.refusedByRules ?? []),
    ...[...failed].filter(([, r]) => r.stage === "RULES").map(([id]) => id),
  ]);
  const reason: UnsoldReason = unsoldReasonOf({
    offeredAndFailed:
      auction?.unsoldReason === "CASCADE_EXHAUSTED" || [...failed.values()].some((r) => r.stage !== "RULES"),
    anyoneLeft: plan.verdicts.some((v) => v.eligible && !ruled.has(v.buyerId)),
  });
  return outcome(plan, auction, selection, records, null, 0, reason);
}

/**
 * Phase A's sale: a network's POST, or an AUCTION contractor's claim on its standing bid, which is
 * never a POST (so never a cascadePosition): its answer is a SALE unless the rules refused it.
 */
async function postOrClaim(ports: AuctionPorts, bid: RankedBid, position: number): Promise<PostResult> {
  if (bid.buyerType === "NETWORK") return ports.post(bid, position);
  let result: PostResult;
  try {
    result = await ports.post(bid, position);
  } catch (err) {
    result = {
      accepted: false,
      lostReason: "POST_REJECTED",
      rawReason: `claim failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  return result.stage === "RULES" ? result : { ...result, stage: "SALE" };
}

/**
 * Sale claims go in rank order, one at a time. A refused claim takes the contractor out and the
 * selection is made again; claimed winners stay winners because only the leader decides the mode
 * and the slots, and the leader is always the first claimed.
 */
export async function deliverDirect(
  contractors: readonly ContractorBuyer[],
  zip: string,
  claim: AuctionPorts["claim"],
): Promise<{ selection: ContractorSelection; failed: Map<string, PostResult> }> {
  const ranked = rankContractors(contractors, zip);
  const claimed = new Set<string>();
  const failed = new Map<string, PostResult>();
  for (;;) {
    const selection = selectContractors(ranked.filter((r) => !failed.has(r.contractor.id)));
    const next = selection.winners.find((w) => !claimed.has(w.contractor.id));
    if (!next || !selection.mode) return { selection, failed };
    let result: PostResult;
    try {
      result = await claim(next, selection.mode);
    } catch (err) {
      result = {
        accepted: false,
        lostReason: "POST_REJECTED",
        rawReason: `claim failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    // A claim is never a POST: a SALE, unless the sale rules refused it.
    if (result.stage !== "RULES") result = { ...result, stage: "SALE" };
    if (result.accepted) claimed.add(next.contractor.id);
    else failed.set(next.contractor.id, result);
  }
}

async function safePing(ports: AuctionPorts, plan: AuctionPlan): Promise<PingRecord[]> {
  try {
    return await ports.ping(plan.networks, plan);
  } catch (err) {
    // A broken ping phase must still end the lead: every network counts as an error.
    return plan.networks.map((n) => ({
      buyerId: n.id,
      outcome: "ERROR" as const,
      detail: `ping phase failed: ${err instanceof Error ? err.message : String(err)}`,
    }));
  }
}

function blank(buyerId: string): AuctionRecord {
  return {
    buyerId,
    buyerType: "CONTRACTOR",
    kind: "DIRECT",
    isWinner: false,
    lostReason: null,
    winningBidAmountCents: null,
    cascadePosition: null,
    bidCents: null,
    priceCents: null,
    detail: "",
  };
}

function outcome(
  plan: AuctionPlan,
  auction: AuctionPhaseResult | null,
  direct: ContractorSelection | null,
  records: AuctionRecord[],
  soldVia: LeadOutcome["soldVia"],
  revenueCents: number,
  unsoldReason: UnsoldReason | null,
): LeadOutcome {
  const status = soldVia ? "SOLD" : "UNSOLD";
  return { status, unsoldReason, soldVia, revenueCents, plan, auction, direct, records };
}
