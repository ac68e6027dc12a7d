import { describe, expect, it } from "vitest";
import { compareBids, rankBids, type BidCandidate } from "./ranking";

const bid = (buyerId: string, amountCents: number, over: Partial<BidCandidate> = {}): BidCandidate => ({
  buyerId,
  buyerType: "NETWORK",
  amountCents,
  minBidCents: 0,
  respondedAfterMs: 50,
  ...over,
});
const rules = { verticalFloorCents: 500, consent: { trustedFormCertUrl: "https://cert" } };

describe("rankBids", () => {
  it("orders by amount, then earlier answer, then buyer id, numbering ranks from 1", () => {
    const { ranked } = rankBids(
      [
        bid("b", 1000, { respondedAfterMs: 40 }),
        bid("a", 1000, { respondedAfterMs: 40 }),
        bid("c", 1000, { respondedAfterMs: 10 }),
        bid("d", 2000),
      ],
      rules,
    );
    expect(ranked.map((r) => [r.buyerId, r.rank])).toEqual([
      ["d", 1],
      ["c", 2],
      ["a", 3],
      ["b", 4],
    ]);
  });

  it("sets aside a bid below the vertical floor as BELOW_MIN_BID", () => {
    const { ranked, setAside } = rankBids([bid("a", 499)], rules);
    expect(ranked).toEqual([]);
    expect(setAside).toEqual([
      { bid: bid("a", 499), lostReason: "BELOW_MIN_BID", detail: "bid $4.99 below vertical floor $5.00" },
    ]);
  });

  it("sets aside a bid below the buyer's own min bid, which beats a lower floor", () => {
    const { setAside } = rankBids([bid("a", 900, { minBidCents: 1000 }), bid("b", 1000, { minBidCents: 1000 })], rules);
    expect(setAside.map((s) => [s.bid.buyerId, s.lostReason, s.detail])).toEqual([
      ["a", "BELOW_MIN_BID", "bid $9.00 below buyer's min bid $10.00"],
    ]);
  });

  it("sets aside a zero bid even with no floor", () => {
    expect(rankBids([bid("a", 0)], { ...rules, verticalFloorCents: 0 }).setAside[0]?.lostReason).toBe("BELOW_MIN_BID");
  });

  it("sets aside a bid whose buyer needs consent the lead lacks as COMPLIANCE_MISSING, whatever it bid", () => {
    const { ranked, setAside } = rankBids(
      [bid("a", 100, { compliance: ["JORNAYA"] }), bid("b", 900, { compliance: ["TRUSTED_FORM"] })],
      rules,
    );
    expect(ranked.map((r) => r.buyerId)).toEqual(["b"]);
    expect(setAside).toEqual([
      { bid: bid("a", 100, { compliance: ["JORNAYA"] }), lostReason: "COMPLIANCE_MISSING", detail: "requires JORNAYA" },
    ]);
  });

  it("lets an AUCTION contractor's standing bid win a tie with a pinged network", () => {
    const { ranked } = rankBids(
      [bid("net", 1500), bid("con", 1500, { buyerType: "CONTRACTOR", respondedAfterMs: 0 })],
      rules,
    );
    expect(ranked.map((r) => r.buyerId)).toEqual(["con", "net"]);
  });

  it("compares equal bids as equal", () => {
    expect(compareBids(bid("a", 1), bid("a", 1))).toBe(0);
  });
});
