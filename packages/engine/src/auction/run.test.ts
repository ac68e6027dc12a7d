import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import type { ContractorWinner } from "./contractors";
import type { PingRecord } from "./finalize";
import type { RankedBid } from "./ranking";
import type { PostResult } from "./response";
import { conductAuction, type AuctionPorts } from "./run";
import { AT, contractor, lead, network } from "./testing";
import type { Buyer } from "./types";

/** Scripted buyers: ping answers by id, POST/claim answers by id (default: accept). */
function ports(pings: Record<string, Omit<PingRecord, "buyerId">>, answers: Record<string, PostResult> = {}) {
  const posts: string[] = [];
  const claims: string[] = [];
  const p: AuctionPorts = {
    clock: new ManualClock(AT),
    ping: async (networks) =>
      networks.map((n) => ({ buyerId: n.id, ...(pings[n.id] ?? { outcome: "TIMEOUT" as const }) })),
    post: async (bid: RankedBid, position) => {
      posts.push(`${bid.buyerId}@${position}`);
      return answers[bid.buyerId] ?? { accepted: true };
    },
    claim: async (w: ContractorWinner, mode) => {
      claims.push(`${w.contractor.id}:${mode}`);
      return answers[w.contractor.id] ?? { accepted: true };
    },
  };
  return { p, posts, claims };
}
const input = (buyers: Buyer[]) => ({ lead: lead(), buyers, counters: {}, verticalFloorCents: 500 });
const reject = (lostReason: PostResult["lostReason"]): PostResult => ({ accepted: false, lostReason });
/** What the service answers when its sale rules refuse a sale under lock: nothing was sent. */
const ruled = (lostReason: "CAP_REACHED" | "OUTSIDE_HOURS" | "DUPLICATE_LEAD"): PostResult => ({
  accepted: false,
  lostReason,
  stage: "RULES",
});
const capped = { salesToday: 1, salesThisWeek: 1, salesThisMonth: 1, duplicateWithinLookback: false };
const byId = (records: { buyerId: string; lostReason: string | null; isWinner: boolean }[]) =>
  Object.fromEntries(records.map((r) => [r.buyerId, r.isWinner ? "WIN" : r.lostReason]));

const mixed: Buyer[] = [
  network("n1"),
  network("n2"),
  network("n3"),
  contractor("c-auction", { pricingModel: "AUCTION", maxBidCents: 1800 }),
  contractor("c-fixed", { fixedLeadPriceCents: 4000 }),
  contractor("c-hybrid", {
    pricingModel: "HYBRID",
    maxBidCents: 4500,
    sharedPriceCents: 2000,
    serviceZips: [{ zip: "10001", priority: 2 }],
  }),
];

describe("conductAuction", () => {
  it("sells to the best network that accepts; the rest lose with their reasons", async () => {
    const { p, posts, claims } = ports(
      { n1: { outcome: "BID", bidCents: 2500, latencyMs: 30 }, n2: { outcome: "BID", bidCents: 2000, latencyMs: 20 } },
      { n1: reject("DUPLICATE_LEAD") },
    );
    const out = await conductAuction(input(mixed), p);
    expect(posts).toEqual(["n1@1", "n2@2"]);
    expect(claims).toEqual([]);
    expect(out).toMatchObject({ status: "SOLD", soldVia: "AUCTION", revenueCents: 2000, unsoldReason: null });
    expect(byId(out.records)).toEqual({
      n1: "DUPLICATE_LEAD",
      n2: "WIN",
      "c-auction": "OUTBID",
      n3: "TIMEOUT",
      "c-fixed": "NOT_SELECTED",
      "c-hybrid": "NOT_SELECTED",
    });
  });

  it("lets an AUCTION contractor win the network auction with its max bid and no ping", async () => {
    const { p, posts } = ports({ n1: { outcome: "BID", bidCents: 1500 } });
    const out = await conductAuction(input(mixed), p);
    expect(posts).toEqual(["c-auction@1"]);
    // Its sale is a claim, not a POST: no cascadePosition.
    expect(out.records.find((r) => r.isWinner)).toMatchObject({
      buyerId: "c-auction",
      kind: "DIRECT",
      priceCents: 1800,
      cascadePosition: null,
    });
  });

  it("falls back to FIXED and HYBRID contractors when every auction POST is rejected", async () => {
    const { p, posts, claims } = ports(
      {
        n1: { outcome: "BID", bidCents: 2500 },
        n2: { outcome: "NO_BID" },
        n3: { outcome: "ERROR", detail: "HTTP 500" },
      },
      { n1: reject("POST_REJECTED"), "c-auction": reject("CAP_REACHED") },
    );
    const out = await conductAuction(input(mixed), p);
    expect(posts).toEqual(["n1@1", "c-auction@2"]);
    expect(claims).toEqual(["c-fixed:EXCLUSIVE"]);
    expect(out).toMatchObject({
      status: "SOLD",
      soldVia: "DIRECT",
      revenueCents: 4000,
      auction: { unsoldReason: "CASCADE_EXHAUSTED" },
    });
    expect(byId(out.records)).toEqual({
      n1: "POST_REJECTED",
      "c-auction": "CAP_REACHED",
      n2: "NO_BID",
      n3: "NO_BID",
      "c-fixed": "WIN",
      "c-hybrid": "LOWER_PRIORITY",
    });
  });

  it("falls back too when no bid is valid", async () => {
    const { p, posts } = ports({ n1: { outcome: "BID", bidCents: 300 } });
    const out = await conductAuction(input(mixed.filter((b) => b.id !== "c-auction")), p);
    expect(posts).toEqual([]);
    expect(out).toMatchObject({ status: "SOLD", soldVia: "DIRECT", auction: { unsoldReason: "NO_VALID_BIDS" } });
    expect(byId(out.records).n1).toBe("BELOW_MIN_BID");
  });

  it("goes straight to direct delivery, AUCTION contractors included, when no network is eligible", async () => {
    const { p, claims } = ports({});
    const out = await conductAuction(input(mixed.filter((b) => b.type === "CONTRACTOR")), p);
    expect(out.auction).toBeNull();
    expect(claims).toEqual(["c-fixed:EXCLUSIVE"]);
    expect(byId(out.records)).toEqual({
      "c-fixed": "WIN",
      "c-auction": "EXCLUSIVE_TAKEN",
      "c-hybrid": "LOWER_PRIORITY",
    });
  });

  it("re-selects when a contractor's sale claim is refused under lock", async () => {
    const { p, claims } = ports({}, { "c-fixed": reject("CAP_REACHED") });
    const out = await conductAuction(input(mixed.filter((b) => b.type === "CONTRACTOR")), p);
    expect(claims).toEqual(["c-fixed:EXCLUSIVE", "c-auction:EXCLUSIVE"]);
    expect(out).toMatchObject({ status: "SOLD", revenueCents: 1800 });
    expect(byId(out.records)).toEqual({ "c-auction": "WIN", "c-hybrid": "LOWER_PRIORITY", "c-fixed": "CAP_REACHED" });
  });

  it("claims every shared slot, replacing a refused one", async () => {
    const shared = (id: string, price: number) =>
      contractor(id, { deliveryMode: "SHARED", maxSharedLeads: 2, fixedLeadPriceCents: price });
    const { p, claims } = ports({}, { b: reject("OUTSIDE_HOURS") });
    const out = await conductAuction(input([shared("a", 5000), shared("b", 4000), shared("c", 3000)]), p);
    expect(claims).toEqual(["a:SHARED", "b:SHARED", "c:SHARED"]);
    expect(out).toMatchObject({ status: "SOLD", revenueCents: 8000 });
    expect(out.records.find((r) => r.buyerId === "b")).toMatchObject({
      lostReason: "OUTSIDE_HOURS",
      winningBidAmountCents: 3000,
    });
  });

  it("ends UNSOLD with CASCADE_EXHAUSTED when every attempt is refused", async () => {
    const { p } = ports(
      { n1: { outcome: "BID", bidCents: 2500 } },
      { n1: reject("POST_REJECTED"), "c-fixed": reject("DUPLICATE_LEAD") },
    );
    const out = await conductAuction(input([network("n1"), contractor("c-fixed")]), p);
    expect(out).toMatchObject({ status: "UNSOLD", unsoldReason: "CASCADE_EXHAUSTED", soldVia: null, revenueCents: 0 });
  });

  it("ends UNSOLD with NO_ELIGIBLE_BUYERS or NO_VALID_BIDS", async () => {
    const none = await conductAuction(input([network("n1", { active: false })]), ports({}).p);
    expect(none).toMatchObject({ status: "UNSOLD", unsoldReason: "NO_ELIGIBLE_BUYERS", records: [] });
    const quiet = await conductAuction(input([network("n1")]), ports({ n1: { outcome: "NO_BID" } }).p);
    expect(quiet).toMatchObject({ status: "UNSOLD", unsoldReason: "NO_VALID_BIDS" });
  });

  it("still ends the lead when the ping phase or a claim throws", async () => {
    const { p } = ports({});
    const out = await conductAuction(input([network("n1"), contractor("c")]), {
      ...p,
      ping: async () => {
        throw new Error("pool closed");
      },
      claim: async () => {
        throw new Error("db down");
      },
    });
    expect(out).toMatchObject({ status: "UNSOLD", unsoldReason: "CASCADE_EXHAUSTED" });
    expect(out.records.map((r) => [r.buyerId, r.lostReason, r.detail])).toEqual([
      ["n1", "NO_BID", "ping phase failed: pool closed"],
      ["c", "POST_REJECTED", "sale refused: claim failed: db down"],
    ]);
  });
});

describe("unsold reasons: one per cause", () => {
  const capOne = { caps: { daily: 1 } };

  it("a contractor at its cap gives NO_ELIGIBLE_BUYERS whether the start or the sale finds the cap full", async () => {
    const atStart = await conductAuction({ ...input([contractor("c", capOne)]), counters: { c: capped } }, ports({}).p);
    expect(atStart).toMatchObject({ status: "UNSOLD", unsoldReason: "NO_ELIGIBLE_BUYERS", records: [] });
    const { p, claims } = ports({}, { c: ruled("CAP_REACHED") });
    const atSale = await conductAuction(input([contractor("c", capOne)]), p);
    expect(claims).toEqual(["c:EXCLUSIVE"]);
    expect(atSale).toMatchObject({ status: "UNSOLD", unsoldReason: "NO_ELIGIBLE_BUYERS" });
    expect(atSale.records).toEqual([
      expect.objectContaining({ buyerId: "c", kind: "DIRECT", lostReason: "CAP_REACHED", cascadePosition: null }),
    ]);
  });

  it("a network refused by the sale rules before its POST is not POSTed to: no position, NO_ELIGIBLE_BUYERS like a refusal at the start", async () => {
    const bid = { n1: { outcome: "BID" as const, bidCents: 2500 } };
    const atStart = await conductAuction({ ...input([network("n1", capOne)]), counters: { n1: capped } }, ports(bid).p);
    expect(atStart.unsoldReason).toBe("NO_ELIGIBLE_BUYERS");
    const atSale = await conductAuction(input([network("n1", capOne)]), ports(bid, { n1: ruled("CAP_REACHED") }).p);
    expect(atSale).toMatchObject({
      status: "UNSOLD",
      unsoldReason: "NO_ELIGIBLE_BUYERS",
      auction: { unsoldReason: "NO_ELIGIBLE_BUYERS" },
    });
    expect(atSale.records).toEqual([
      expect.objectContaining({ buyerId: "n1", kind: "PING", lostReason: "CAP_REACHED", cascadePosition: null }),
    ]);
  });

  it("NO_VALID_BIDS when another buyer could take it but made no usable bid, whichever moment found the cap", async () => {
    const buyers = [network("n1"), contractor("c", capOne)];
    const quiet = { n1: { outcome: "NO_BID" as const } };
    const atStart = await conductAuction({ ...input(buyers), counters: { c: capped } }, ports(quiet).p);
    const atSale = await conductAuction(input(buyers), ports(quiet, { c: ruled("CAP_REACHED") }).p);
    expect([atStart.unsoldReason, atSale.unsoldReason]).toEqual(["NO_VALID_BIDS", "NO_VALID_BIDS"]);
  });

  it("CASCADE_EXHAUSTED only when a POST was sent and rejected", async () => {
    const bid = { n1: { outcome: "BID" as const, bidCents: 2500 } };
    // The buyer itself answers "duplicate" to the POST: a POST was made, at position 1.
    const posted = await conductAuction(input([network("n1")]), ports(bid, { n1: reject("DUPLICATE_LEAD") }).p);
    expect(posted).toMatchObject({ status: "UNSOLD", unsoldReason: "CASCADE_EXHAUSTED" });
    expect(posted.records).toEqual([
      expect.objectContaining({ buyerId: "n1", kind: "POST", lostReason: "DUPLICATE_LEAD", cascadePosition: 1 }),
    ]);
    // Our own duplicate rule refuses it before the POST: nothing was sent.
    const notPosted = await conductAuction(input([network("n1")]), ports(bid, { n1: ruled("DUPLICATE_LEAD") }).p);
    expect(notPosted.unsoldReason).toBe("NO_ELIGIBLE_BUYERS");
    // Contractors are never POSTed to: refusals of their claims by the rules are not a cascade either.
    const contractors = await conductAuction(
      input([contractor("a"), contractor("b", { fixedLeadPriceCents: 3000 })]),
      ports({}, { a: ruled("OUTSIDE_HOURS"), b: ruled("CAP_REACHED") }).p,
    );
    expect(contractors.unsoldReason).toBe("NO_ELIGIBLE_BUYERS");
  });

  it("numbers POSTs only: a bidder refused before its POST takes no position, the next POST is 1", async () => {
    const { p, posts } = ports(
      {
        n1: { outcome: "BID", bidCents: 3000 },
        n2: { outcome: "BID", bidCents: 2500 },
        n3: { outcome: "BID", bidCents: 2000 },
      },
      { n1: ruled("CAP_REACHED"), n2: reject("POST_REJECTED") },
    );
    const out = await conductAuction(
      input([
        network("n1"),
        network("n2"),
        network("n3"),
        contractor("c-auction", { pricingModel: "AUCTION", maxBidCents: 2800 }),
      ]),
      p,
    );
    expect(posts).toEqual(["n1@1", "c-auction@1"]);
    expect(out.records.map((r) => [r.buyerId, r.kind, r.cascadePosition, r.isWinner ? "WIN" : r.lostReason])).toEqual([
      ["n1", "PING", null, "CAP_REACHED"],
      ["c-auction", "DIRECT", null, "WIN"],
      ["n2", "PING", null, "OUTBID"],
      ["n3", "PING", null, "OUTBID"],
    ]);
    const { p: p2, posts: posts2 } = ports(
      {
        n1: { outcome: "BID", bidCents: 3000 },
        n2: { outcome: "BID", bidCents: 2500 },
        n3: { outcome: "BID", bidCents: 2000 },
      },
      { n1: ruled("CAP_REACHED"), n2: reject("POST_REJECTED") },
    );
    const out2 = await conductAuction(input([network("n1"), network("n2"), network("n3")]), p2);
    expect(posts2).toEqual(["n1@1", "n2@1", "n3@2"]);
    expect(out2.records.map((r) => [r.buyerId, r.kind, r.cascadePosition, r.isWinner ? "WIN" : r.lostReason])).toEqual([
      ["n1", "PING", null, "CAP_REACHED"],
      ["n2", "POST", 1, "POST_REJECTED"],
      ["n3", "POST", 2, "WIN"],
    ]);
  });

  it("gives direct-delivery winners (shared slots included) no cascadePosition", async () => {
    const shared = (id: string, price: number) =>
      contractor(id, { deliveryMode: "SHARED", maxSharedLeads: 2, fixedLeadPriceCents: price });
    const out = await conductAuction(input([shared("a", 5000), shared("b", 4000)]), ports({}).p);
    expect(out.records.map((r) => [r.buyerId, r.isWinner, r.cascadePosition])).toEqual([
      ["a", true, null],
      ["b", true, null],
    ]);
  });
});
