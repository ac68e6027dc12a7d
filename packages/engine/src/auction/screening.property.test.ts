/**
 * The compliance screens' promise, over generated auctions: a person the screens name (globally,
 * or on some buyers' own lists) is never pinged, posted, claimed or sold to a buyer the screen
 * covers, whatever the buyers, their bids and their answers; and a global hit sells to nobody.
 * The service feeds the screens' findings in as lead.screening (packages/api/src/compliance/
 * suppression/screen.ts); suppression.test.ts proves that path on real PostgreSQL.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock";
import type { PostResult } from "./response";
import { conductAuction } from "./run";
import { AT, contractor, lead, network } from "./testing";
import type { Buyer, LeadScreening } from "./types";
import { REJECTION_REASONS } from "./values";

const ids = ["a", "b", "c", "d", "e", "f"];
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
const arbResult: fc.Arbitrary<PostResult> = fc.oneof(
  fc.constant<PostResult>({ accepted: true }),
  fc.constantFrom(...REJECTION_REASONS).map((lostReason): PostResult => ({ accepted: false, lostReason })),
);

describe("screened people", () => {
  it("are never pinged, posted, claimed or sold to a buyer the screen covers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbBuyer, { selector: (b) => b.id, maxLength: 8 }),
        fc.boolean(),
        fc.func(fc.boolean()),
        fc.func(fc.integer({ min: -1, max: 3000 })),
        fc.func(arbResult),
        async (buyers, global, listedBy, bidOf, answer) => {
          const own = buyers.filter((b) => listedBy(b.id)).map((b) => b.id);
          const screening: LeadScreening = {
            everyone: global ? "on the national do-not-call registry" : null,
            buyers: Object.fromEntries(own.map((id) => [id, "on this buyer's suppression list"])),
          };
          const covered = (id: string) => global || own.includes(id);
          const touched: string[] = [];
          const out = await conductAuction(
            { lead: lead({ screening }), buyers, counters: {}, verticalFloorCents: 500 },
            {
              clock: new ManualClock(AT),
              ping: async (nets) =>
                nets.map((n) => {
                  touched.push(n.id);
                  const bid = bidOf(n.id);
                  return bid < 0
                    ? { buyerId: n.id, outcome: "TIMEOUT" as const }
                    : { buyerId: n.id, outcome: "BID" as const, bidCents: bid };
                }),
              post: async (bid, pos) => {
                touched.push(bid.buyerId);
                return answer(bid.buyerId, pos);
              },
              claim: async (w) => {
                touched.push(w.contractor.id);
                return answer(w.contractor.id, 0);
              },
            },
          );
          expect(touched.filter(covered)).toEqual([]);
          expect(out.records.filter((r) => r.isWinner && covered(r.buyerId))).toEqual([]);
          for (const v of out.plan.verdicts)
            if (covered(v.buyerId)) expect(v).toMatchObject({ eligible: false, reason: "SUPPRESSED" });
          if (global) expect(out.status).toBe("UNSOLD");
        },
      ),
      { numRuns: 300 },
    );
  });
});
