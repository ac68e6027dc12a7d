/**
 * Turns what happened (pings, the ranking, the cascade, a contractor selection) into one record
 * per buyer: the isWinner / lostReason / winningBidAmount / cascadePosition the transactions
 * carry. Each buyer gets the most specific reason for its own loss; the lead-level failure
 * (CASCADE_EXHAUSTED, NO_VALID_BIDS) is the lead's, not pinned on one buyer.
 */
import type { FinalCascadeStep } from "./cascade";
import type { ContractorSelection } from "./contractors";
import { formatCents } from "./money";
import type { RankedBid, Ranking } from "./ranking";
import type { PostStage } from "./response";
import type { BuyerType, LostReason, PingOutcome, TransactionKind, UnsoldReason } from "./values";

/** One network's ping as the service saw it; detail is the no-bid reason or the error. */
export interface PingRecord {
  buyerId: string;
  outcome: PingOutcome;
  bidCents?: number;
  /** From the start of the ping phase to the answer; earlier answers win ties. */
  latencyMs?: number;
  detail?: string;
}

export interface AuctionRecord {
  buyerId: string;
  buyerType: BuyerType;
  /** The transaction that settles this buyer: POST if posted, else PING (networks) or DIRECT. */
  kind: TransactionKind;
  isWinner: boolean;
  lostReason: LostReason | null;
  /** On losers of a sold lead: what the winner paid (the last winner's price when shared). */
  winningBidAmountCents: number | null;
  cascadePosition: number | null;
  bidCents: number | null;
  /** What a winner pays. */
  priceCents: number | null;
  detail: string;
}

export interface AuctionPhaseResult {
  sold: boolean;
  /** Why the phase did not sell; null when it did. */
  unsoldReason: UnsoldReason | null;
  winner: RankedBid | null;
  revenueCents: number;
  records: AuctionRecord[];
  /** Bidders refused by our sale rules at the moment of sale (nothing was sent to them). */
  refusedByRules: string[];
}

function record(
  buyerId: string,
  buyerType: BuyerType,
  kind: TransactionKind,
  fields: Partial<AuctionRecord> & { detail: string },
): AuctionRecord {
  return {
    buyerId,
    buyerType,
    kind,
    isWinner: false,
    lostReason: null,
    winningBidAmountCents: null,
    cascadePosition: null,
    bidCents: null,
    priceCents: null,
    ...fields,
  };
}

/** The winner pays its own bid (first price): what it offered, and what the seller was shown. */
export function finalizeAuction(input: {
  pings: readonly PingRecord[];
  ranking: Ranking;
  cascade: FinalCascadeStep;
}): AuctionPhaseResult {
  const { pings, ranking, cascade } = input;
  const winner = cascade.kind === "sold" ? cascade.bid : null;
  const winning = winner?.amountCents ?? null;
  const attempts = new Map(cascade.attempts.map((a) => [a.bid.buyerId, a]));
  const out = new Map<string, AuctionRecord>();
  const add = (r: AuctionRecord) => {
    if (!out.has(r.buyerId)) out.set(r.buyerId, { ...r, winningBidAmountCents: r.isWinner ? null : winning });
  };
  // Only a POST makes a network's transaction a POST, and only a POST has a cascadePosition.
  const kindOf = (b: RankedBid, position: number | null): TransactionKind =>
    b.buyerType === "CONTRACTOR" ? "DIRECT" : position !== null ? "POST" : "PING";

  for (const bid of ranking.ranked) {
    const a = attempts.get(bid.buyerId);
    const base = { bidCents: bid.amountCents };
    if (a?.accepted) {
      add(
        record(bid.buyerId, bid.buyerType, kindOf(bid, a.position), {
          ...base,
          isWinner: true,
          cascadePosition: a.position,
          priceCents: bid.amountCents,
          detail: `${a.position !== null ? `accepted at cascade position ${a.position}` : "sold on its standing bid"}, pays ${formatCents(bid.amountCents)}`,
        }),
      );
    } else if (a) {
      add(
        record(bid.buyerId, bid.buyerType, kindOf(bid, a.position), {
          ...base,
          lostReason: a.lostReason ?? "POST_REJECTED",
          cascadePosition: a.position,
          detail: `${refusalText(a.stage, a.position)}${a.rawReason ? `: ${a.rawReason}` : ""}`,
        }),
      );
    } else {
      // Only a sale stops the cascade early, so an unposted bid was beaten by the winner.
      add(
        record(bid.buyerId, bid.buyerType, kindOf(bid, null), {
          ...base,
          lostReason: "OUTBID",
          detail: `outbid: ${formatCents(bid.amountCents)} against ${formatCents(winning ?? 0)}`,
        }),
      );
    }
  }
  for (const s of ranking.setAside) {
    add(
      record(s.bid.buyerId, s.bid.buyerType, s.bid.buyerType === "CONTRACTOR" ? "DIRECT" : "PING", {
        bidCents: s.bid.amountCents,
        lostReason: s.lostReason,
        detail: s.detail,
      }),
    );
  }
  for (const p of pings) {
    // ERROR is a ping outcome, not a lost reason: the buyer made no usable bid, so NO_BID; the
    // transaction keeps outcome ERROR and the error text.
    const lostReason: LostReason = p.outcome === "TIMEOUT" ? "TIMEOUT" : "NO_BID";
    const fallback = p.outcome === "BID" ? "bid not in the ranking" : p.outcome.toLowerCase();
    add(
      record(p.buyerId, "NETWORK", "PING", {
        bidCents: p.bidCents ?? null,
        lostReason,
        detail: p.detail ?? fallback,
      }),
    );
  }
  const refusedByRules = cascade.attempts.filter((a) => !a.accepted && a.stage === "RULES").map((a) => a.bid.buyerId);
  const ruled = new Set(refusedByRules);
  const unsoldReason: UnsoldReason | null = winner
    ? null
    : unsoldReasonOf({
        offeredAndFailed: cascade.attempts.some((a) => !a.accepted && a.stage !== "RULES"),
        anyoneLeft: [...out.keys()].some((id) => !ruled.has(id)),
      });
  return {
    sold: winner !== null,
    unsoldReason,
    winner,
    revenueCents: winning ?? 0,
    records: [...out.values()],
    refusedByRules,
  };
}

/**
 * Why a lead (or the auction phase) did not sell: one reason per cause, whatever the timing.
 *
 * - `CASCADE_EXHAUSTED`: a sale went past our rules and failed: a POST the buyer rejected (or
 *   that failed), or, abnormally, a sale that could not be written. Never without such an offer.
 * - `NO_ELIGIBLE_BUYERS`: no buyer could take the lead: each was refused by eligibility when the
 *   auction started, or by the sale rules (hours, caps, duplicates: checkSaleRules) at the moment of
 *   sale, before any POST. A cap found full at the start and one found full at the sale are the
 *   same cause, so they give the same reason.
 * - `NO_VALID_BIDS`: otherwise: buyers could take it, but none made a usable bid (no bid, timeout,
 *   error, below the floor, …).
 */
export function unsoldReasonOf(facts: { offeredAndFailed: boolean; anyoneLeft: boolean }): UnsoldReason {
  if (facts.offeredAndFailed) return "CASCADE_EXHAUSTED";
  return facts.anyoneLeft ? "NO_VALID_BIDS" : "NO_ELIGIBLE_BUYERS";
}

/** What a refused attempt's detail starts with. */
export function refusalText(stage: PostStage, position: number | null): string {
  if (stage === "RULES") return "refused by its own rules at the moment of sale";
  if (position !== null) return `rejected at cascade position ${position}`;
  return "sale refused";
}

/** Records for a contractor direct delivery: no POST, so no cascadePosition (a slot is not a POST). */
export function finalizeSelection(selection: ContractorSelection): AuctionRecord[] {
  const last = selection.winners[selection.winners.length - 1];
  const winning = last?.priceCents ?? null;
  return [
    ...selection.winners.map((w) =>
      record(w.contractor.id, "CONTRACTOR", "DIRECT", {
        isWinner: true,
        bidCents: w.priceCents,
        priceCents: w.priceCents,
        detail: `${selection.mode === "SHARED" ? "shared" : "exclusive"} delivery, pays ${formatCents(w.priceCents)}`,
      }),
    ),
    ...selection.losers.map((l) =>
      record(l.contractor.id, "CONTRACTOR", "DIRECT", {
        lostReason: l.lostReason,
        winningBidAmountCents: winning,
        bidCents: l.exclusivePriceCents,
        detail: l.detail,
      }),
    ),
  ];
}
