import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import { deliveryMethodsFor, pingBids, planAuction } from "./plan";
import { AT, contractor, lead, network } from "./testing";

const clock = new ManualClock(AT);

describe("planAuction", () => {
  const buyers = [
    network("n1"),
    network("n-off", { active: false }),
    network("n-capped", { caps: { daily: 5 } }),
    contractor("c-auction", { pricingModel: "AUCTION", maxBidCents: 3000 }),
    contractor("c-fixed"),
    contractor("c-hybrid", { pricingModel: "HYBRID", maxBidCents: 5000, sharedPriceCents: 2000 }),
  ];

  it("pings eligible networks, lets AUCTION contractors bid without a ping, keeps FIXED/HYBRID for fallback", () => {
    const plan = planAuction(
      lead(),
      buyers,
      { "n-capped": { salesToday: 5, salesThisWeek: 5, salesThisMonth: 5, duplicateWithinLookback: false } },
      clock,
    );
    expect(plan.at).toEqual(AT);
    expect(plan.networks.map((n) => n.id)).toEqual(["n1"]);
    expect(plan.auctionBids).toEqual([
      {
        buyerId: "c-auction",
        buyerType: "CONTRACTOR",
        amountCents: 3000,
        minBidCents: 0,
        respondedAfterMs: 0,
        compliance: [],
      },
    ]);
    expect(plan.directContractors.map((c) => c.id)).toEqual(["c-fixed", "c-hybrid"]);
    expect(plan.verdicts.map((v) => [v.buyerId, v.eligible ? "ok" : v.reason])).toEqual([
      ["n1", "ok"],
      ["n-off", "INACTIVE"],
      ["n-capped", "CAP_REACHED"],
      ["c-auction", "ok"],
      ["c-fixed", "ok"],
      ["c-hybrid", "ok"],
    ]);
  });

  it("sends every eligible contractor to direct delivery when no network is eligible", () => {
    const plan = planAuction(
      lead(),
      buyers.filter((b) => b.type === "CONTRACTOR"),
      {},
      clock,
    );
    expect(plan.networks).toEqual([]);
    expect(plan.auctionBids).toEqual([]);
    expect(plan.directContractors.map((c) => c.id)).toEqual(["c-auction", "c-fixed", "c-hybrid"]);
  });

  it("judges a buyer listed twice once", () => {
    expect(planAuction(lead(), [network("n1"), network("n1")], {}, clock).verdicts).toHaveLength(1);
  });
});

describe("pingBids", () => {
  it("turns BID pings into candidates with the network's floor and requirements", () => {
    const nets = [network("n1", { minBidCents: 700, compliance: ["JORNAYA"] }), network("n2")];
    const bids = pingBids(
      [
        { buyerId: "n1", outcome: "BID", bidCents: 900, latencyMs: 42 },
        { buyerId: "n2", outcome: "NO_BID" },
        { buyerId: "stranger", outcome: "BID", bidCents: 5000 },
      ],
      nets,
    );
    expect(bids).toEqual([
      {
        buyerId: "n1",
        buyerType: "NETWORK",
        amountCents: 900,
        minBidCents: 700,
        respondedAfterMs: 42,
        compliance: ["JORNAYA"],
      },
    ]);
  });
});

describe("deliveryMethodsFor", () => {
  it("delivers to a network by its POST and to a contractor by its channels, dashboard at least", () => {
    expect(deliveryMethodsFor(network("n"))).toEqual(["WEBHOOK"]);
    expect(deliveryMethodsFor(contractor("c", { deliveryMethods: ["EMAIL", "WEBHOOK", "EMAIL"] }))).toEqual([
      "EMAIL",
      "WEBHOOK",
    ]);
    expect(deliveryMethodsFor(contractor("c", { deliveryMethods: [] }))).toEqual(["DASHBOARD"]);
  });
});
