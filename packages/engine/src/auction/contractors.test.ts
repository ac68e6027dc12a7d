import { describe, expect, it } from "vitest";
import { rankContractors, selectContractors } from "./contractors";
import { maxBidFor, normalizeZip, priceFor, serviceZipFor } from "./pricing";
import { contractor } from "./testing";

describe("priceFor", () => {
  const zips = [
    { zip: "10001", priority: 1, maxBidCents: 6000 },
    { zip: "10002", priority: 1 },
  ];
  it("FIXED pays its fixed price, exclusive or shared", () => {
    const c = contractor("c", { pricingModel: "FIXED", fixedLeadPriceCents: 4000, maxBidCents: 9000 });
    expect([priceFor(c, "10001", "EXCLUSIVE"), priceFor(c, "10001", "SHARED")]).toEqual([4000, 4000]);
  });
  it("AUCTION pays the zip's max bid, else its own", () => {
    const c = contractor("c", { pricingModel: "AUCTION", maxBidCents: 5000, serviceZips: zips });
    expect([priceFor(c, "10001", "EXCLUSIVE"), priceFor(c, "10002", "SHARED")]).toEqual([6000, 5000]);
  });
  it("HYBRID pays the auction price exclusive and the reduced price shared", () => {
    const c = contractor("c", { pricingModel: "HYBRID", maxBidCents: 5000, sharedPriceCents: 2500, serviceZips: zips });
    expect([priceFor(c, "10002", "EXCLUSIVE"), priceFor(c, "10002", "SHARED")]).toEqual([5000, 2500]);
    expect(priceFor({ ...c, sharedPriceCents: null }, "10002", "SHARED")).toBeNull();
  });
  it("has no price rather than a zero or fractional one", () => {
    expect(priceFor(contractor("c", { fixedLeadPriceCents: 0 }), "10001", "EXCLUSIVE")).toBeNull();
    expect(maxBidFor(contractor("c", { pricingModel: "AUCTION", maxBidCents: 12.5 }), "10001")).toBeNull();
  });
  it("finds an exact zip before the wildcard", () => {
    const list = [
      { zip: "*", priority: 9 },
      { zip: "10001", priority: 2 },
    ];
    expect(serviceZipFor(list, "10001-0001")?.priority).toBe(2);
    expect(serviceZipFor(list, "99999")?.priority).toBe(9);
    expect(normalizeZip(" 100011234 ")).toBe("10001");
  });
});

describe("rankContractors", () => {
  it("ranks by zip priority (1 first), then price descending, then id", () => {
    const list = [
      contractor("fixed-low", { fixedLeadPriceCents: 3000 }),
      contractor("far", { fixedLeadPriceCents: 9000, serviceZips: [{ zip: "10001", priority: 2 }] }),
      contractor("auction", { pricingModel: "AUCTION", maxBidCents: 4500 }),
      contractor("b-tie", { fixedLeadPriceCents: 4500 }),
      contractor("elsewhere", { serviceZips: [{ zip: "90210", priority: 1 }] }),
    ];
    expect(rankContractors(list, "10001").map((r) => [r.contractor.id, r.rank, r.priority])).toEqual([
      ["auction", 1, 1],
      ["b-tie", 2, 1],
      ["fixed-low", 3, 1],
      ["far", 4, 2],
    ]);
  });
});

describe("selectContractors: EXCLUSIVE", () => {
  it("gives the lead to #1; equal priority loses with EXCLUSIVE_TAKEN, worse with LOWER_PRIORITY", () => {
    const sel = selectContractors(
      rankContractors(
        [
          contractor("top", { fixedLeadPriceCents: 5000 }),
          contractor("peer", { fixedLeadPriceCents: 4000, deliveryMode: "SHARED" }),
          contractor("far", { fixedLeadPriceCents: 9000, serviceZips: [{ zip: "10001", priority: 3 }] }),
        ],
        "10001",
      ),
    );
    expect(sel.mode).toBe("EXCLUSIVE");
    expect(sel.winners.map((w) => [w.contractor.id, w.priceCents, w.position])).toEqual([["top", 5000, 1]]);
    expect(sel.losers.map((l) => [l.contractor.id, l.lostReason, l.detail])).toEqual([
      ["peer", "EXCLUSIVE_TAKEN", "sold exclusively to an equal-priority contractor at $50.00"],
      ["far", "LOWER_PRIORITY", "zip priority 3 behind 1"],
    ]);
    expect(sel.revenueCents).toBe(5000);
  });

  it("charges a HYBRID winner its auction price", () => {
    const sel = selectContractors(
      rankContractors(
        [contractor("h", { pricingModel: "HYBRID", maxBidCents: 7000, sharedPriceCents: 2000 })],
        "10001",
      ),
    );
    expect(sel.revenueCents).toBe(7000);
  });

  it("sells nothing with nobody to sell to", () => {
    expect(selectContractors([])).toEqual({ mode: null, winners: [], losers: [], revenueCents: 0 });
  });
});

describe("selectContractors: SHARED", () => {
  const shared = (id: string, over = {}) => contractor(id, { deliveryMode: "SHARED", maxSharedLeads: 2, ...over });

  it("gives the lead to the top N, each paying full price; revenue = price × N", () => {
    const sel = selectContractors(rankContractors([shared("a"), shared("b"), shared("c")], "10001"));
    expect(sel.mode).toBe("SHARED");
    expect(sel.winners.map((w) => [w.contractor.id, w.priceCents, w.position])).toEqual([
      ["a", 4000, 1],
      ["b", 4000, 2],
    ]);
    expect(sel.revenueCents).toBe(4000 * 2);
    expect(sel.losers.map((l) => [l.contractor.id, l.lostReason])).toEqual([["c", "NOT_SELECTED"]]);
  });

  it("lets the top contractor's maxSharedLeads set N", () => {
    const sel = selectContractors(
      rankContractors(
        [shared("a", { maxSharedLeads: 3, fixedLeadPriceCents: 5000 }), shared("b"), shared("c")],
        "10001",
      ),
    );
    expect(sel.winners).toHaveLength(3);
  });

  it("never shares with an EXCLUSIVE-mode contractor, and a worse priority beyond N is LOWER_PRIORITY", () => {
    const sel = selectContractors(
      rankContractors(
        [
          shared("a", { fixedLeadPriceCents: 6000 }),
          contractor("excl", { fixedLeadPriceCents: 5000 }),
          shared("b"),
          shared("far", { serviceZips: [{ zip: "10001", priority: 2 }] }),
        ],
        "10001",
      ),
    );
    expect(sel.winners.map((w) => w.contractor.id)).toEqual(["a", "b"]);
    expect(sel.losers.map((l) => [l.contractor.id, l.lostReason])).toEqual([
      ["excl", "NOT_SELECTED"],
      ["far", "LOWER_PRIORITY"],
    ]);
  });

  it("charges HYBRID sharers their reduced price and skips a HYBRID without one", () => {
    const sel = selectContractors(
      rankContractors(
        [
          shared("a", { pricingModel: "HYBRID", maxBidCents: 8000, sharedPriceCents: 3000 }),
          shared("b", { pricingModel: "HYBRID", maxBidCents: 7000, sharedPriceCents: null }),
          shared("c", { fixedLeadPriceCents: 4000 }),
        ],
        "10001",
      ),
    );
    expect(sel.winners.map((w) => [w.contractor.id, w.priceCents])).toEqual([
      ["a", 3000],
      ["c", 4000],
    ]);
    expect(sel.losers).toMatchObject([
      { contractor: { id: "b" }, lostReason: "NOT_SELECTED", detail: "no shared price configured" },
    ]);
    expect(sel.revenueCents).toBe(7000);
  });
});
