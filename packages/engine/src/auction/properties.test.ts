/** The invariants the auction promises, over generated inputs rather than chosen examples. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import { deliverWithCascade, nextCascadeStep, startCascade } from "./cascade";
import { rankContractors, selectContractors } from "./contractors";
import { compareBids, rankBids, type BidCandidate, type RankedBid } from "./ranking";
import type { PostResult } from "./response";
import { conductAuction } from "./run";
import { AT, contractor, lead, network } from "./testing";
import type { Buyer } from "./types";
import { REJECTION_REASONS } from "./values";

const ids = ["a", "b", "c", "d", "e", "f", "g", "h"];
const arbBid: fc.Arbitrary<BidCandidate> = fc.record({
  buyerId: fc.constantFrom(...ids),
  buyerType: fc.constantFrom("NETWORK" as const, "CONTRACTOR" as const),
  amountCents: fc.integer({ min: 0, max: 5000 }),
  minBidCents: fc.integer({ min: 0, max: 2000 }),
  respondedAfterMs: fc.integer({ min: 0, max: 100 }),
  compliance: fc.subarray(["TRUSTED_FORM" as const, "JORNAYA" as const]),
});
const arbResult: fc.Arbitrary<PostResult> = fc.oneof(
  fc.constant({ accepted: true }),
  fc.constantFrom(...REJECTION_REASONS).map((lostReason) => ({ accepted: false, lostReason })),
);
const rules = { verticalFloorCents: 500, consent: { trustedFormCertUrl: "https://cert" } };
const toRanked = (bids: BidCandidate[]): RankedBid[] => rankBids(bids, rules).ranked;

describe("rankBids", () => {
  it("is a permutation of its input, sorted, with every ranked bid at or above its floor", () => {
    fc.assert(
      fc.property(fc.array(arbBid, { maxLength: 12 }), (bids) => {
        const { ranked, setAside } = rankBids(bids, rules);
        const key = (b: BidCandidate) =>
          JSON.stringify([b.buyerId, b.buyerType, b.amountCents, b.minBidCents, b.respondedAfterMs, b.compliance]);
        const back = [...ranked, ...setAside.map((s) => s.bid)].map(key).sort();
        expect(back).toEqual(bids.map(key).sort());
        ranked.forEach((b, i) => {
          expect(b.rank).toBe(i + 1);
          expect(b.amountCents).toBeGreaterThanOrEqual(Math.max(b.minBidCents, rules.verticalFloorCents));
          const next = ranked[i + 1];
          if (next) expect(compareBids(b, next)).toBeLessThanOrEqual(0);
        });
      }),
    );
  });

  it("does not depend on input order", () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(arbBid, { selector: (b) => b.buyerId, maxLength: 8 })
          .chain((bids) =>
            fc.tuple(fc.constant(bids), fc.shuffledSubarray(bids, { minLength: bids.length, maxLength: bids.length })),
          ),
        ([bids, shuffled]) => {
          const order = (list: BidCandidate[]) => rankBids(list, rules).ranked.map((b) => b.buyerId);
          expect(order(shuffled)).toEqual(order(bids));
        },
      ),
    );
  });
});

describe("cascade", () => {
  it("posts each buyer at most once, strictly in rank order, and sells at most once", () => {
    fc.assert(
      fc.property(fc.array(arbBid, { maxLength: 10 }), fc.array(arbResult, { maxLength: 12 }), (bids, results) => {
        const ranked = toRanked(bids);
        let step = startCascade(ranked);
        for (const r of results) step = nextCascadeStep(step, r);
        const posted = step.attempts.map((a) => a.bid.buyerId);
        expect(new Set(posted).size).toBe(posted.length);
        const firstPlaces = ranked.filter((b, i) => ranked.findIndex((x) => x.buyerId === b.buyerId) === i);
        expect(posted).toEqual(firstPlaces.slice(0, posted.length).map((b) => b.buyerId));
        expect(step.attempts.map((a) => a.position)).toEqual(posted.map((_, i) => i + 1));
        const accepted = step.attempts.filter((a) => a.accepted);
        expect(accepted.length).toBeLessThanOrEqual(1);
        if (step.kind === "sold") expect(step.attempts.at(-1)?.accepted).toBe(true);
        if (step.kind === "exhausted") expect(posted).toHaveLength(firstPlaces.length);
      }),
    );
  });

  it("deliverWithCascade asks ALL bidders, one at a time, until one accepts", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbBid, { selector: (b) => b.buyerId, maxLength: 8 }),
        fc.func(arbResult),
        async (bids, answer) => {
          const ranked = toRanked(bids);
          let inFlight = 0;
          const final = await deliverWithCascade(ranked, async (bid, position) => {
            expect(++inFlight).toBe(1);
            await Promise.resolve();
            inFlight--;
            return answer(bid.buyerId, position);
          });
          const firstAccept = ranked.findIndex((b, i) => answer(b.buyerId, i + 1).accepted);
          expect(final.attempts).toHaveLength(firstAccept === -1 ? ranked.length : firstAccept + 1);
          expect(final.kind).toBe(firstAccept === -1 ? "exhausted" : "sold");
        },
      ),
    );
  });
});

describe("contractor selection", () => {
  const arbContractor = fc.record({
    id: fc.constantFrom(...ids),
    priority: fc.integer({ min: 1, max: 3 }),
    mode: fc.constantFrom("EXCLUSIVE" as const, "SHARED" as const),
    maxShared: fc.integer({ min: 0, max: 5 }),
    price: fc.integer({ min: 100, max: 9000 }),
  });
  const build = (
    rows: { id: string; priority: number; mode: "EXCLUSIVE" | "SHARED"; maxShared: number; price: number }[],
    samePrice?: number,
  ) =>
    rows.map((r) =>
      contractor(r.id, {
        deliveryMode: r.mode,
        maxSharedLeads: r.maxShared,
        fixedLeadPriceCents: samePrice ?? r.price,
        serviceZips: [{ zip: "10001", priority: r.priority }],
      }),
    );

  it("splits the ranked contractors into winners and losers, every loser with a reason", () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbContractor, { selector: (c) => c.id, maxLength: 8 }), (rows) => {
        const ranked = rankContractors(build(rows), "10001");
        const sel = selectContractors(ranked);
        const all = [...sel.winners, ...sel.losers].map((x) => x.contractor.id).sort();
        expect(all).toEqual(ranked.map((r) => r.contractor.id).sort());
        expect(sel.revenueCents).toBe(sel.winners.reduce((s, w) => s + w.priceCents, 0));
        if (ranked.length > 0) expect(sel.winners[0]?.contractor.id).toBe(ranked[0]?.contractor.id);
        if (sel.mode === "EXCLUSIVE") expect(sel.winners).toHaveLength(1);
        for (const l of sel.losers) {
          const best = sel.winners.at(-1);
          if (l.lostReason === "LOWER_PRIORITY") expect(l.priority).toBeGreaterThan(best?.priority ?? 0);
          if (l.lostReason === "EXCLUSIVE_TAKEN") expect([sel.mode, l.priority]).toEqual(["EXCLUSIVE", best?.priority]);
        }
      }),
    );
  });

  it("shared revenue = price × N, N = min(leader's maxSharedLeads, sharing contractors)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(arbContractor, { selector: (c) => c.id, minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 9000 }),
        (rows, price) => {
          const ranked = rankContractors(build(rows, price), "10001");
          const leader = ranked[0]?.contractor;
          fc.pre(leader?.deliveryMode === "SHARED");
          const sel = selectContractors(ranked);
          const sharers = ranked.filter((r) => r.contractor.deliveryMode === "SHARED").length;
          const n = Math.min(Math.max(1, leader?.maxSharedLeads ?? 1), sharers);
          expect(sel.winners).toHaveLength(n);
          expect(sel.revenueCents).toBe(price * n);
        },
      ),
    );
  });
});

describe("conductAuction", () => {
  const arbBuyer: fc.Arbitrary<Buyer> = fc.oneof(
    fc
      .record({ id: fc.constantFrom(...ids), min: fc.integer({ min: 0, max: 1500 }) })
      .map(({ id, min }) => network(`n-${id}`, { minBidCents: min })),
    fc
      .record({
        id: fc.constantFrom(...ids),
        model: fc.constantFrom("FIXED" as const, "AUCTION" as const, "HYBRID" as const),
        shared: fc.boolean(),
      })
      .map(({ id, model, shared }) =>
        contractor(`c-${id}`, {
          pricingModel: model,
          maxBidCents: 2000,
          sharedPriceCents: 900,
          deliveryMode: shared ? "SHARED" : "EXCLUSIVE",
        }),
      ),
  );

  it("always ends SOLD or UNSOLD, one record per buyer, winners iff sold, an exclusive sale once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbBuyer, { maxLength: 8 }),
        fc.func(fc.integer({ min: -1, max: 3000 })),
        fc.func(arbResult),
        async (buyers, bidOf, answer) => {
          const out = await conductAuction(
            { lead: lead(), buyers, counters: {}, verticalFloorCents: 500 },
            {
              clock: new ManualClock(AT),
              ping: async (nets) =>
                nets.map((n) => {
                  const bid = bidOf(n.id);
                  return bid < 0
                    ? { buyerId: n.id, outcome: "TIMEOUT" }
                    : { buyerId: n.id, outcome: "BID", bidCents: bid };
                }),
              post: async (bid, pos) => answer(bid.buyerId, pos),
              claim: async (w) => answer(w.contractor.id, 0),
            },
          );
          const recordIds = out.records.map((r) => r.buyerId);
          expect(new Set(recordIds).size).toBe(recordIds.length);
          const winners = out.records.filter((r) => r.isWinner);
          expect(out.status === "SOLD").toBe(winners.length > 0);
          if (out.soldVia === "AUCTION" || out.direct?.mode === "EXCLUSIVE")
            expect(winners.length).toBeLessThanOrEqual(1);
          for (const r of out.records) expect(r.isWinner === (r.lostReason === null)).toBe(true);
          expect(out.revenueCents).toBe(winners.reduce((s, w) => s + (w.priceCents ?? 0), 0));
        },
      ),
    );
  });
});
