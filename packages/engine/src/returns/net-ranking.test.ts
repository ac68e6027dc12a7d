// The optional net-of-returns ranking (auction/ranking.ts RankRules.netOfReturns): it changes the
// winner when on and changes nothing when off.
import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import type { PingRecord } from "../auction/finalize";
import { pingBids } from "../auction/plan";
import { rankBids, type BidCandidate } from "../auction/ranking";
import { conductAuction, type AuctionPorts } from "../auction/run";
import { AT, contractor, lead, network } from "../auction/testing";

const rules = { verticalFloorCents: 500, consent: { trustedFormCertUrl: "https://cert" } };
const bid = (
  buyerId: string,
  amountCents: number,
  returnRateBp: number | null,
  over: Partial<BidCandidate> = {},
): BidCandidate => ({
  buyerId,
  buyerType: "NETWORK",
  amountCents,
  minBidCents: 0,
  respondedAfterMs: 10,
  returnRateBp,
  ...over,
});

describe("ranking net of return rate", () => {
  // $30 with 25% returns is worth $22.50; $25 with 4% returns is worth $24.00.
  const bids = [bid("returns-a-lot", 3000, 2500), bid("keeps-its-leads", 2500, 400)];

  it("off (the default): the higher bid wins whatever its buyer's return rate", () => {
    expect(rankBids(bids, rules).ranked.map((b) => b.buyerId)).toEqual(["returns-a-lot", "keeps-its-leads"]);
    expect(rankBids(bids, { ...rules, netOfReturns: false }).ranked.map((b) => b.buyerId)).toEqual([
      "returns-a-lot",
      "keeps-its-leads",
    ]);
  });

  it("on: the bid worth more after returns wins", () => {
    expect(rankBids(bids, { ...rules, netOfReturns: true }).ranked.map((b) => b.buyerId)).toEqual([
      "keeps-its-leads",
      "returns-a-lot",
    ]);
  });

  it("on: a contractor's standing bid and a network without a rate rank at face value; equal values fall back to the usual order", () => {
    const mixed = [
      bid("c", 2600, 9000, { buyerType: "CONTRACTOR", respondedAfterMs: 0 }),
      bid("new", 2500, null),
      bid("n", 3000, 2000, { respondedAfterMs: 5 }),
    ];
    expect(rankBids(mixed, { ...rules, netOfReturns: true }).ranked.map((b) => b.buyerId)).toEqual(["c", "new", "n"]);
    const tie = [bid("b", 2500, 2000), bid("a", 2000, 0, { respondedAfterMs: 20 })];
    expect(rankBids(tie, { ...rules, netOfReturns: true }).ranked.map((b) => b.buyerId)).toEqual(["b", "a"]);
  });

  it("floors apply to the amount bid, not the net value", () => {
    const r = rankBids([bid("x", 600, 5000)], { ...rules, netOfReturns: true });
    expect(r.ranked.map((b) => b.buyerId)).toEqual(["x"]);
  });

  it("pingBids carries each network's return rate onto its bid", () => {
    const pings: PingRecord[] = [{ buyerId: "n1", outcome: "BID", bidCents: 2000, latencyMs: 5 }];
    expect(pingBids(pings, [network("n1", { returnRateBp: 1234 })])[0]?.returnRateBp).toBe(1234);
  });

  it("conductAuction posts first to the net-best network only when the input asks for it", async () => {
    const buyers = [
      network("returns-a-lot", { returnRateBp: 2500 }),
      network("keeps-its-leads", { returnRateBp: 400 }),
      contractor("c1"),
    ];
    const answers: Record<string, Omit<PingRecord, "buyerId">> = {
      "returns-a-lot": { outcome: "BID", bidCents: 3000, latencyMs: 10 },
      "keeps-its-leads": { outcome: "BID", bidCents: 2500, latencyMs: 10 },
    };
    const run = async (netOfReturns: boolean | undefined) => {
      const posts: string[] = [];
      const ports: AuctionPorts = {
        clock: new ManualClock(AT),
        ping: async (networks) =>
          networks.map((n) => ({ buyerId: n.id, ...(answers[n.id] ?? { outcome: "TIMEOUT" as const }) })),
        post: async (b) => {
          posts.push(b.buyerId);
          return { accepted: true };
        },
        claim: async () => ({ accepted: true }),
      };
      const out = await conductAuction(
        {
          lead: lead(),
          buyers,
          counters: {},
          verticalFloorCents: 500,
          ...(netOfReturns === undefined ? {} : { netOfReturns }),
        },
        ports,
      );
      return { posts, winner: out.records.find((r) => r.isWinner)?.buyerId, revenue: out.revenueCents };
    };
    expect(await run(undefined)).toEqual({ posts: ["returns-a-lot"], winner: "returns-a-lot", revenue: 3000 });
    expect(await run(false)).toEqual({ posts: ["returns-a-lot"], winner: "returns-a-lot", revenue: 3000 });
    // On: the winner still pays what it bid.
    expect(await run(true)).toEqual({ posts: ["keeps-its-leads"], winner: "keeps-its-leads", revenue: 2500 });
  });
});
