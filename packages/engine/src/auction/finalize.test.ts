import { describe, expect, it } from "vitest";
import { nextCascadeStep, startCascade, type FinalCascadeStep } from "./cascade";
import { rankContractors, selectContractors } from "./contractors";
import { finalizeAuction, finalizeSelection, type PingRecord } from "./finalize";
import { rankBids, type BidCandidate } from "./ranking";
import type { PostResult } from "./response";
import { contractor } from "./testing";

const consent = { trustedFormCertUrl: "https://cert" };
const candidate = (buyerId: string, amountCents: number, over: Partial<BidCandidate> = {}): BidCandidate => ({
  buyerId,
  buyerType: "NETWORK",
  amountCents,
  minBidCents: 500,
  respondedAfterMs: 10,
  ...over,
});

function run(bids: BidCandidate[], results: PostResult[]) {
  const ranking = rankBids(bids, { verticalFloorCents: 500, consent });
  let step = startCascade(ranking.ranked);
  for (const r of results) step = nextCascadeStep(step, r);
  if (step.kind === "post") throw new Error("cascade not finished");
  return { ranking, cascade: step as FinalCascadeStep };
}

const pings: PingRecord[] = [
  { buyerId: "slow", outcome: "TIMEOUT", detail: "no answer in 1500 ms" },
  { buyerId: "none", outcome: "NO_BID", detail: "no coverage" },
  { buyerId: "broken", outcome: "ERROR", detail: "HTTP 500" },
];

describe("finalizeAuction", () => {
  it("marks the winner and gives every loser its reason and the winning amount", () => {
    const { ranking, cascade } = run(
      [
        candidate("first", 3000),
        candidate("second", 2500),
        candidate("third", 2000),
        candidate("cheap", 400),
        candidate("strict", 9000, { compliance: ["JORNAYA"] }),
        candidate("con", 1000, { buyerType: "CONTRACTOR", minBidCents: 0, respondedAfterMs: 0 }),
      ],
      [{ accepted: false, lostReason: "DUPLICATE_LEAD", rawReason: "dupe" }, { accepted: true }],
    );
    const result = finalizeAuction({ pings, ranking, cascade });
    expect(result).toMatchObject({ sold: true, unsoldReason: null, revenueCents: 2500, winner: { buyerId: "second" } });
    const rows = result.records.map((r) => [
      r.buyerId,
      r.kind,
      r.isWinner,
      r.lostReason,
      r.winningBidAmountCents,
      r.cascadePosition,
    ]);
    expect(rows).toEqual([
      ["first", "POST", false, "DUPLICATE_LEAD", 2500, 1],
      ["second", "POST", true, null, null, 2],
      ["third", "PING", false, "OUTBID", 2500, null],
      ["con", "DIRECT", false, "OUTBID", 2500, null],
      ["cheap", "PING", false, "BELOW_MIN_BID", 2500, null],
      ["strict", "PING", false, "COMPLIANCE_MISSING", 2500, null],
      ["slow", "PING", false, "TIMEOUT", 2500, null],
      ["none", "PING", false, "NO_BID", 2500, null],
      ["broken", "PING", false, "NO_BID", 2500, null],
    ]);
    expect(result.records.find((r) => r.buyerId === "second")).toMatchObject({ priceCents: 2500, bidCents: 2500 });
    expect(result.records.find((r) => r.buyerId === "first")?.detail).toBe("rejected at cascade position 1: dupe");
    expect(result.records.find((r) => r.buyerId === "broken")?.detail).toBe("HTTP 500");
  });

  it("keeps each bidder's own rejection when all reject; the lead is CASCADE_EXHAUSTED", () => {
    const { ranking, cascade } = run(
      [candidate("a", 3000), candidate("b", 2000)],
      [
        { accepted: false, lostReason: "CAP_REACHED" },
        { accepted: false, lostReason: "OUTSIDE_HOURS" },
      ],
    );
    const result = finalizeAuction({ pings: [], ranking, cascade });
    expect(result).toMatchObject({ sold: false, unsoldReason: "CASCADE_EXHAUSTED", winner: null, revenueCents: 0 });
    expect(result.records.map((r) => [r.buyerId, r.lostReason, r.winningBidAmountCents, r.cascadePosition])).toEqual([
      ["a", "CAP_REACHED", null, 1],
      ["b", "OUTSIDE_HOURS", null, 2],
    ]);
  });

  it("is NO_VALID_BIDS when nothing could be posted", () => {
    const { ranking, cascade } = run([candidate("cheap", 100)], []);
    expect(finalizeAuction({ pings, ranking, cascade })).toMatchObject({ sold: false, unsoldReason: "NO_VALID_BIDS" });
  });

  it("writes one record per buyer even if a bidder also appears among the pings", () => {
    const { ranking, cascade } = run([candidate("a", 3000)], [{ accepted: true }]);
    const result = finalizeAuction({
      pings: [
        { buyerId: "a", outcome: "BID", bidCents: 3000 },
        { buyerId: "x", outcome: "BID", bidCents: 1 },
      ],
      ranking,
      cascade,
    });
    expect(result.records.map((r) => [r.buyerId, r.lostReason, r.detail])).toEqual([
      ["a", null, "accepted at cascade position 1, pays $30.00"],
      ["x", "NO_BID", "bid not in the ranking"],
    ]);
  });
});

describe("finalizeSelection", () => {
  it("records shared winners (no cascadePosition: nothing was POSTed) and losers with the last winner's price", () => {
    const shared = (id: string, price: number) =>
      contractor(id, { deliveryMode: "SHARED", maxSharedLeads: 2, fixedLeadPriceCents: price });
    const sel = selectContractors(rankContractors([shared("a", 5000), shared("b", 4000), shared("c", 3000)], "10001"));
    expect(
      finalizeSelection(sel).map((r) => [
        r.buyerId,
        r.kind,
        r.isWinner,
        r.lostReason,
        r.priceCents,
        r.winningBidAmountCents,
        r.cascadePosition,
      ]),
    ).toEqual([
      ["a", "DIRECT", true, null, 5000, null, null],
      ["b", "DIRECT", true, null, 4000, null, null],
      ["c", "DIRECT", false, "NOT_SELECTED", null, 4000, null],
    ]);
  });
});
