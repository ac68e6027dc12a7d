// The vertical's switch to rank network bids net of each network's return rate, through the live
// auction (the engine's ranking is tested in packages/engine/src/returns/net-ranking.test.ts): off,
// the highest bid wins; on, a network that returns half its leads is worth half its bid. The
// switch and the rates are buyer configuration, so the cached buyer set must see them at once.
import { closeBuyerAgent, createLead, parseIntake, runAuction } from "@leadflow/api";
import { buyers, verticals } from "@leadflow/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addNetwork, leadBody, makeWorld, txOf, VERTICAL, type World } from "./world";

let w: World;
beforeAll(async () => {
  w = await makeWorld({
    networks: { returner: { bid: { kind: "fixed", value: 30 } }, keeper: { bid: { kind: "fixed", value: 20 } } },
  });
});
afterAll(async () => {
  await w?.close();
  await closeBuyerAgent();
});

async function winner(): Promise<{ buyerId: string; priceCents: number | null }> {
  const { id } = await createLead(w.s, w.sellerOrgId, parseIntake(leadBody()), { deferFsync: true });
  await runAuction(w.s, id);
  const won = [...(await txOf(w, id)).values()].find((t) => t.isWinner)!;
  return { buyerId: won.buyerId, priceCents: won.priceCents };
}

describe("ranking net of return rates", () => {
  it("is off by default, and when a vertical turns it on the next auction ranks by value after returns", async () => {
    const returner = await addNetwork(w, "returner");
    const keeper = await addNetwork(w, "keeper");
    await w.t.db.update(buyers).set({ returnRateBp: 5000 }).where(eq(buyers.id, returner));
    await w.t.db.update(buyers).set({ returnRateBp: 0 }).where(eq(buyers.id, keeper));

    expect(await winner()).toEqual({ buyerId: returner, priceCents: 3000 });

    await w.t.db.update(verticals).set({ rankNetOfReturns: true }).where(eq(verticals.key, VERTICAL));
    // $30 × (1 − 50%) = $15 of value against $20: the keeper wins and pays its own bid.
    expect(await winner()).toEqual({ buyerId: keeper, priceCents: 2000 });

    await w.t.db.update(buyers).set({ returnRateBp: 0 }).where(eq(buyers.id, returner));
    expect(await winner()).toEqual({ buyerId: returner, priceCents: 3000 });
  });
});
