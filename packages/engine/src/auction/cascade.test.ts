import { describe, expect, it } from "vitest";
import { deliverWithCascade, nextCascadeStep, startCascade } from "./cascade";
import type { PostResult } from "./response";
import { ranked } from "./testing";

const bids = [ranked("a", 3000, 1), ranked("b", 2000, 2), ranked("c", 1000, 3)];
const no = (lostReason: PostResult["lostReason"], rawReason?: string): PostResult =>
  rawReason === undefined ? { accepted: false, lostReason } : { accepted: false, lostReason, rawReason };

describe("startCascade / nextCascadeStep", () => {
  it("posts to the best bid first, at position 1", () => {
    const step = startCascade(bids);
    expect(step).toMatchObject({ kind: "post", position: 1, bid: { buyerId: "a" } });
  });

  it("moves to the next bidder on rejection, recording the reason and position", () => {
    let step = startCascade(bids);
    step = nextCascadeStep(step, no("DUPLICATE_LEAD", "duplicate"));
    expect(step).toMatchObject({ kind: "post", position: 2, bid: { buyerId: "b" } });
    step = nextCascadeStep(step, { accepted: true });
    expect(step.kind).toBe("sold");
    expect(
      step.attempts.map((a) => [a.bid.buyerId, a.position, a.accepted, a.lostReason ?? null, a.rawReason ?? null]),
    ).toEqual([
      ["a", 1, false, "DUPLICATE_LEAD", "duplicate"],
      ["b", 2, true, null, null],
    ]);
  });

  it("is CASCADE_EXHAUSTED after every bidder rejects, having asked all of them", () => {
    let step = startCascade(bids);
    for (const r of [no("CAP_REACHED"), no("OUTSIDE_HOURS"), { accepted: false }]) step = nextCascadeStep(step, r);
    expect(step).toMatchObject({ kind: "exhausted", lostReason: "CASCADE_EXHAUSTED" });
    expect(step.attempts.map((a) => a.lostReason)).toEqual(["CAP_REACHED", "OUTSIDE_HOURS", "POST_REJECTED"]);
  });

  it("is exhausted at once with no bids, having posted nothing", () => {
    expect(startCascade([])).toEqual({ kind: "exhausted", lostReason: "CASCADE_EXHAUSTED", attempts: [] });
  });

  it("ignores results fed to a finished cascade", () => {
    const sold = nextCascadeStep(startCascade(bids), { accepted: true });
    expect(nextCascadeStep(sold, { accepted: true })).toBe(sold);
    expect(nextCascadeStep(sold, no("POST_REJECTED"))).toBe(sold);
  });

  it("posts a buyer listed twice only once", () => {
    const step = nextCascadeStep(
      startCascade([ranked("a", 3, 1), ranked("a", 2, 2), ranked("b", 1, 3)]),
      no("POST_REJECTED"),
    );
    expect(step).toMatchObject({ kind: "post", bid: { buyerId: "b" }, position: 2 });
  });
});

describe("deliverWithCascade", () => {
  it("posts one at a time, in rank order, until one accepts", async () => {
    const log: string[] = [];
    let inFlight = 0;
    const final = await deliverWithCascade(bids, async (bid, position) => {
      inFlight += 1;
      expect(inFlight).toBe(1);
      log.push(`${bid.buyerId}@${position}`);
      await new Promise((r) => setTimeout(r, 1));
      inFlight -= 1;
      return bid.buyerId === "b" ? { accepted: true } : no("POST_REJECTED");
    });
    expect(log).toEqual(["a@1", "b@2"]);
    expect(final).toMatchObject({ kind: "sold", position: 2, bid: { buyerId: "b" } });
  });

  it("tries ALL bidders and ends CASCADE_EXHAUSTED when none accepts", async () => {
    const final = await deliverWithCascade(bids, async () => no("POST_REJECTED"));
    expect(final.kind).toBe("exhausted");
    expect(final.attempts).toHaveLength(3);
  });

  it("counts a post that throws as a rejection and moves on", async () => {
    const final = await deliverWithCascade(bids, async (bid) => {
      if (bid.buyerId === "a") throw new Error("socket hang up");
      return { accepted: true };
    });
    expect(final).toMatchObject({ kind: "sold", bid: { buyerId: "b" } });
    expect(final.attempts[0]).toMatchObject({ lostReason: "POST_REJECTED", rawReason: "post failed: socket hang up" });
  });
});
